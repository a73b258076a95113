package io.satsuma.activation.adapter.persistence;

import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.SyncMode;
import io.satsuma.activation.domain.SyncSettings;
import io.satsuma.activation.domain.Syncs;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class JdbcSyncs implements Syncs {
    private final Sql sql;
    private final Json json;

    JdbcSyncs(Sql sql, Json json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public void add(Sync s) {
        sql.update("""
                INSERT INTO sync (id, workspace, segment_id, destination_id, mode, settings, state, created_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)""", s.id(), s.workspace(), s.segmentId(), s.destinationId(),
                s.mode().name(), json.write(s.settings()), s.state().name(), s.createdAt());
    }

    @Override
    public Optional<Sync> find(String workspace, String syncId) {
        return sql.queryOne("SELECT * FROM sync WHERE workspace = ? AND id = ?", this::sync, workspace, syncId);
    }

    @Override
    public Optional<Sync> byId(String syncId) {
        return sql.queryOne("SELECT * FROM sync WHERE id = ?", this::sync, syncId);
    }

    @Override
    public List<Sync> list(String workspace) {
        return sql.query("SELECT * FROM sync WHERE workspace = ? ORDER BY created_at", this::sync, workspace);
    }

    @Override
    public List<Sync> ofSegment(String workspace, String segmentId) {
        return sql.query("SELECT * FROM sync WHERE workspace = ? AND segment_id = ?", this::sync, workspace, segmentId);
    }

    @Override
    public List<Sync> ofDestination(String destinationId) {
        return sql.query("SELECT * FROM sync WHERE destination_id = ? ORDER BY created_at", this::sync, destinationId);
    }

    @Override
    public boolean lease(String syncId, String owner, Instant until) {
        return sql.update("""
                UPDATE sync SET lease_owner = ?, lease_until = ?
                WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < now())""",
                owner, until, syncId, owner) == 1;
    }

    @Override
    public void releaseLease(String syncId, String owner) {
        sql.update("UPDATE sync SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?", syncId, owner);
    }

    @Override
    public int pauseDestination(String destinationId, String reason) {
        return sql.update("UPDATE sync SET state = 'PAUSED', paused_reason = ? WHERE destination_id = ? AND state = 'ACTIVE'",
                reason, destinationId);
    }

    @Override
    public int resume(String destinationId, String syncId) {
        return sql.update("""
                UPDATE sync SET state = 'ACTIVE', paused_reason = NULL
                WHERE destination_id = ? AND (?::text IS NULL OR id = ?) AND state = 'PAUSED'""",
                destinationId, syncId, syncId);
    }

    @Override
    public void startUpload(String syncId, long total, UploadPhase firstPhase, boolean thenLedger, Instant at) {
        sql.update("""
                UPDATE sync SET upload_total = ?, upload_started_at = ?, upload_finished_at = NULL, upload_batches = 0,
                       upload_phase = ?, upload_cursor = NULL, upload_done = 0
                WHERE id = ?""", total, at, (thenLedger ? UploadPhase.MEMBERS_THEN_LEDGER : firstPhase).name(), syncId);
    }

    @Override
    public void advanceUpload(String syncId, UploadPhase phase, String cursor, long done) {
        sql.update("""
                UPDATE sync SET upload_phase = ?, upload_cursor = ?, upload_done = upload_done + ?,
                       upload_batches = upload_batches + 1,
                       upload_finished_at = CASE WHEN ?::text IS NULL THEN now() ELSE upload_finished_at END
                WHERE id = ?""", phase == null ? null : phase.name(), cursor, done, phase == null ? null : phase.name(),
                syncId);
    }

    @Override
    public Progress progress(String syncId) {
        return sql.queryOne("SELECT * FROM sync WHERE id = ?", rs -> new Progress(rs.getLong("sent_count"),
                rs.getLong("failed_count"), rs.getString("last_error"), Sql.instant(rs, "last_error_at"),
                rs.getLong("upload_total"), Sql.instant(rs, "upload_started_at"), Sql.instant(rs, "upload_finished_at"),
                rs.getInt("upload_batches"), rs.getString("upload_phase") == null ? null
                        : UploadPhase.valueOf(rs.getString("upload_phase")), rs.getString("upload_cursor"),
                rs.getLong("upload_done")), syncId).orElseThrow();
    }

    @Override
    public void count(String syncId, long sent, long failed, String lastError, Instant at) {
        sql.update("""
                UPDATE sync SET sent_count = sent_count + ?, failed_count = failed_count + ?,
                       last_error = COALESCE(?, last_error),
                       last_error_at = CASE WHEN ?::text IS NULL THEN last_error_at ELSE ? END
                WHERE id = ?""", sent, failed, lastError, lastError, at, syncId);
    }

    private Sync sync(ResultSet rs) throws SQLException {
        return new Sync(rs.getString("id"), rs.getString("workspace"), rs.getString("segment_id"),
                rs.getString("destination_id"), SyncMode.valueOf(rs.getString("mode")),
                json.read(rs.getString("settings"), SyncSettings.class), Sync.State.valueOf(rs.getString("state")),
                rs.getString("paused_reason"), Sql.instant(rs, "created_at"));
    }
}
