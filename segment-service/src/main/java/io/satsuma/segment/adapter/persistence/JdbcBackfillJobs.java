package io.satsuma.segment.adapter.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.BackfillJobs;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class JdbcBackfillJobs implements BackfillJobs {
    private final Sql sql;
    private final MeterRegistry meters;

    JdbcBackfillJobs(Sql sql, MeterRegistry meters) {
        this.sql = sql;
        this.meters = meters;
    }

    @Override
    public void add(BackfillJob j) {
        sql.update("""
                INSERT INTO backfill_job (id, workspace, segment_id, segment_version, status, total, started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                j.id(), j.workspace(), j.segmentId(), j.segmentVersion(), j.status(), j.total(), j.startedAt(), j.updatedAt());
    }

    @Override
    public List<BackfillJob> running() {
        return sql.query("SELECT * FROM backfill_job WHERE status = 'RUNNING' ORDER BY started_at", JdbcBackfillJobs::job);
    }

    @Override
    public Optional<BackfillJob> lockRunning(String jobId) {
        return sql.queryOne("SELECT * FROM backfill_job WHERE id = ? AND status = 'RUNNING' FOR UPDATE SKIP LOCKED",
                JdbcBackfillJobs::job, jobId);
    }

    @Override
    public void advance(String jobId, String cursor, long pageSize, long changed, Instant at) {
        sql.update("""
                UPDATE backfill_job SET cursor = ?, done = done + ?, changed = changed + ?, updated_at = ?
                WHERE id = ?""", cursor, pageSize, changed, at, jobId);
        // Progress across jobs; a job's own done/total is its API (GET …/backfill).
        meters.counter("satsuma.backfill.profiles").increment(pageSize);
    }

    @Override
    public void finish(String jobId, String status, Instant at) {
        sql.update("UPDATE backfill_job SET status = ?, finished_at = ?, updated_at = ? WHERE id = ?", status, at, at, jobId);
    }

    @Override
    public void cancelRunning(String workspace, String segmentId, Instant at) {
        sql.update("""
                UPDATE backfill_job SET status = 'CANCELLED', finished_at = ?, updated_at = ?
                WHERE workspace = ? AND segment_id = ? AND status = 'RUNNING'""", at, at, workspace, segmentId);
    }

    @Override
    public Optional<BackfillJob> latest(String workspace, String segmentId) {
        return sql.query("""
                SELECT * FROM backfill_job WHERE workspace = ? AND segment_id = ? ORDER BY started_at DESC LIMIT 1""",
                JdbcBackfillJobs::job, workspace, segmentId).stream().findFirst();
    }

    private static BackfillJob job(ResultSet rs) throws SQLException {
        return new BackfillJob(rs.getString("id"), rs.getString("workspace"), rs.getString("segment_id"),
                rs.getLong("segment_version"), rs.getString("status"), rs.getLong("total"), rs.getLong("done"),
                rs.getLong("changed"), rs.getString("cursor"), Sql.instant(rs, "started_at"), Sql.instant(rs, "updated_at"),
                Sql.instant(rs, "finished_at"));
    }
}
