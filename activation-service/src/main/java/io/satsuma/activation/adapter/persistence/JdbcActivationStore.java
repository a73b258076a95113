package io.satsuma.activation.adapter.persistence;

import io.satsuma.activation.domain.ActivationStore;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.SyncStatus;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class JdbcActivationStore implements ActivationStore {
    private final Sql sql;

    JdbcActivationStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void addDestination(Destination d, String secretCiphertext) {
        sql.update("""
                INSERT INTO destination (id, workspace, name, type, url, secret_ciphertext, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", d.id(), d.workspace(), d.name(), d.type(), d.url(), secretCiphertext,
                d.createdAt());
    }

    @Override
    public Optional<Destination> destination(String workspace, String destinationId) {
        return sql.queryOne("SELECT * FROM destination WHERE workspace = ? AND id = ?", JdbcActivationStore::destination,
                workspace, destinationId);
    }

    @Override
    public String secretCiphertext(String destinationId) {
        return sql.queryOne("SELECT secret_ciphertext FROM destination WHERE id = ?", rs -> rs.getString(1), destinationId)
                .orElseThrow();
    }

    @Override
    public List<Destination> destinations(String workspace) {
        return sql.query("SELECT * FROM destination WHERE workspace = ? ORDER BY created_at", JdbcActivationStore::destination,
                workspace);
    }

    @Override
    public void addSync(Sync s) {
        sql.update("INSERT INTO sync (id, workspace, segment_id, destination_id, created_at) VALUES (?, ?, ?, ?, ?)",
                s.id(), s.workspace(), s.segmentId(), s.destinationId(), s.createdAt());
    }

    @Override
    public Optional<Sync> sync(String workspace, String syncId) {
        return sql.queryOne("SELECT * FROM sync WHERE workspace = ? AND id = ?", JdbcActivationStore::sync, workspace, syncId);
    }

    @Override
    public List<Sync> syncs(String workspace) {
        return sql.query("SELECT * FROM sync WHERE workspace = ? ORDER BY created_at", JdbcActivationStore::sync, workspace);
    }

    @Override
    public List<Sync> syncsOfSegment(String workspace, String segmentId) {
        return sql.query("SELECT * FROM sync WHERE workspace = ? AND segment_id = ?", JdbcActivationStore::sync,
                workspace, segmentId);
    }

    @Override
    public boolean planDelivery(Delivery d, Instant now) {
        return sql.update("""
                INSERT INTO delivery (workspace, sync_id, destination_id, change_id, segment_id, segment_name, profile_id,
                                      change, changed_at, sequence, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)
                ON CONFLICT (sync_id, change_id) DO NOTHING""",
                d.workspace(), d.syncId(), d.destinationId(), d.changeId(), d.segmentId(), d.segmentName(),
                d.profileId(), d.change(), d.changedAt(), d.sequence(), now, now) == 1;
    }

    @Override
    public List<Delivery> claimDue(Instant now, int limit) {
        return sql.query("""
                SELECT * FROM delivery d
                WHERE d.status = 'PENDING' AND d.next_attempt_at <= ?
                  AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.sync_id = d.sync_id AND e.profile_id = d.profile_id
                                  AND e.status = 'PENDING' AND e.id < d.id)
                ORDER BY d.id LIMIT ? FOR UPDATE SKIP LOCKED""",
                rs -> new Delivery(rs.getLong("id"), rs.getString("workspace"), rs.getString("sync_id"),
                        rs.getString("destination_id"), rs.getString("change_id"), rs.getString("segment_id"),
                        rs.getString("segment_name"), rs.getString("profile_id"), rs.getString("change"),
                        Sql.instant(rs, "changed_at"), rs.getLong("sequence"), rs.getString("status"),
                        rs.getInt("attempts")),
                now, limit);
    }

    @Override
    public void markSent(long deliveryId, int attempts, Instant at) {
        sql.update("UPDATE delivery SET status = 'SENT', attempts = ?, completed_at = ?, last_error = NULL WHERE id = ?",
                attempts, at, deliveryId);
    }

    @Override
    public void markRetry(long deliveryId, int attempts, Instant nextAttemptAt, String error) {
        sql.update("UPDATE delivery SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                attempts, nextAttemptAt, error, deliveryId);
    }

    @Override
    public void markFailed(long deliveryId, int attempts, Instant at, String error) {
        sql.update("UPDATE delivery SET status = 'FAILED', attempts = ?, completed_at = ?, last_error = ? WHERE id = ?",
                attempts, at, error, deliveryId);
    }

    @Override
    public SyncStatus status(String workspace, String syncId) {
        return sql.queryOne("""
                SELECT count(*) FILTER (WHERE status = 'SENT') AS sent,
                       count(*) FILTER (WHERE status = 'FAILED') AS failed,
                       count(*) FILTER (WHERE status = 'PENDING') AS pending,
                       min(created_at) FILTER (WHERE status = 'PENDING') AS oldest_pending,
                       (SELECT last_error FROM delivery e WHERE e.sync_id = ? AND e.last_error IS NOT NULL
                        ORDER BY e.id DESC LIMIT 1) AS last_error
                FROM delivery WHERE workspace = ? AND sync_id = ?""",
                rs -> new SyncStatus(syncId, rs.getLong("sent"), rs.getLong("failed"), rs.getLong("pending"),
                        Sql.instant(rs, "oldest_pending"), rs.getString("last_error")),
                syncId, workspace, syncId).orElseThrow();
    }

    @Override
    public int requeueFailed(String workspace, String syncId, Instant now) {
        return sql.update("""
                UPDATE delivery SET status = 'PENDING', attempts = 0, next_attempt_at = ?, completed_at = NULL
                WHERE workspace = ? AND sync_id = ? AND status = 'FAILED'""", now, workspace, syncId);
    }

    @Override
    public int forgetProfile(String workspace, String profileId) {
        return sql.update("DELETE FROM delivery WHERE workspace = ? AND profile_id = ?", workspace, profileId);
    }

    private static Destination destination(ResultSet rs) throws SQLException {
        return new Destination(rs.getString("id"), rs.getString("workspace"), rs.getString("name"), rs.getString("type"),
                rs.getString("url"), Sql.instant(rs, "created_at"));
    }

    private static Sync sync(ResultSet rs) throws SQLException {
        return new Sync(rs.getString("id"), rs.getString("workspace"), rs.getString("segment_id"),
                rs.getString("destination_id"), Sql.instant(rs, "created_at"));
    }
}
