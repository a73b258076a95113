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

/**
 * Jobs in {@code backfill_job}, their slices in {@code backfill_slice}. A page writes only its slice's row and
 * holds the job's with a shared lock, so pages of different slices never wait for each other, and a
 * cancellation (which updates the job's row) waits for the pages in flight.
 */
@ApplicationScoped
class JdbcBackfillJobs implements BackfillJobs {
    /** A job with its progress summed over its slices. */
    private static final String JOB = """
            SELECT j.id, j.workspace, j.segment_id, j.segment_version, j.status, j.total, j.started_at, j.finished_at,
                   s.done, s.changed, greatest(j.updated_at, s.updated_at) AS updated_at
            FROM backfill_job j, LATERAL (SELECT coalesce(sum(done), 0) AS done, coalesce(sum(changed), 0) AS changed,
                                                 max(updated_at) AS updated_at
                                          FROM backfill_slice WHERE job_id = j.id) s
            """;

    private final Sql sql;
    private final MeterRegistry meters;

    JdbcBackfillJobs(Sql sql, MeterRegistry meters) {
        this.sql = sql;
        this.meters = meters;
    }

    @Override
    public void add(BackfillJob j, List<BackfillJob.SlicePlan> slices) {
        sql.update("""
                INSERT INTO backfill_job (id, workspace, segment_id, segment_version, status, total, started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                j.id(), j.workspace(), j.segmentId(), j.segmentVersion(), j.status(), j.total(), j.startedAt(), j.updatedAt());
        String after = "";
        for (int slice = 0; slice < slices.size(); slice++) {
            BackfillJob.SlicePlan plan = slices.get(slice);
            sql.update("""
                    INSERT INTO backfill_slice (job_id, slice, last_id, page_ends, cursor, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)""",
                    j.id(), slice, plan.lastProfileId(), plan.pageEnds().toArray(String[]::new), after, j.startedAt());
            after = plan.lastProfileId();
        }
    }

    @Override
    public List<BackfillJob> running() {
        return sql.query(JOB + "WHERE j.status = 'RUNNING' ORDER BY j.started_at", JdbcBackfillJobs::job);
    }

    @Override
    public Optional<BackfillJob> holdRunning(String jobId) {
        return sql.queryOne(JOB + "WHERE j.id = ? AND j.status = 'RUNNING' FOR SHARE OF j", JdbcBackfillJobs::job, jobId);
    }

    @Override
    public List<Integer> unfinishedSlices(String jobId) {
        return sql.query("SELECT slice FROM backfill_slice WHERE job_id = ? AND NOT finished ORDER BY slice",
                rs -> rs.getInt(1), jobId);
    }

    @Override
    public Optional<BackfillJob.Slice> lockSlice(String jobId, int slice) {
        // The next page end is found in SQL: ids order by the database's collation, not Java's.
        return sql.queryOne("""
                SELECT last_id, cursor, (SELECT min(e) FROM unnest(page_ends) AS e WHERE e > cursor) AS next_page_end
                FROM backfill_slice WHERE job_id = ? AND slice = ? AND NOT finished
                FOR UPDATE SKIP LOCKED""",
                rs -> new BackfillJob.Slice(jobId, slice, rs.getString("last_id"), rs.getString("cursor"),
                        rs.getString("next_page_end")), jobId, slice);
    }

    @Override
    public void advance(String jobId, int slice, String cursor, long pageSize, long changed, Instant at) {
        sql.update("""
                UPDATE backfill_slice SET cursor = ?, done = done + ?, changed = changed + ?, updated_at = ?
                WHERE job_id = ? AND slice = ?""", cursor, pageSize, changed, at, jobId, slice);
        // Progress across jobs; a job's own done/total is its API (GET …/backfill).
        meters.counter("satsuma.backfill.profiles").increment(pageSize);
    }

    @Override
    public void finishSlice(String jobId, int slice, Instant at) {
        sql.update("UPDATE backfill_slice SET finished = TRUE, updated_at = ? WHERE job_id = ? AND slice = ?", at, jobId, slice);
    }

    @Override
    public boolean completeIfFinished(String jobId, Instant at) {
        return sql.update("""
                UPDATE backfill_job SET status = 'DONE', finished_at = ?, updated_at = ?
                WHERE id = ? AND status = 'RUNNING'
                  AND NOT EXISTS (SELECT 1 FROM backfill_slice WHERE job_id = ? AND NOT finished)""",
                at, at, jobId, jobId) == 1;
    }

    @Override
    public void cancelRunning(String workspace, String segmentId, Instant at) {
        sql.update("""
                UPDATE backfill_job SET status = 'CANCELLED', finished_at = ?, updated_at = ?
                WHERE workspace = ? AND segment_id = ? AND status = 'RUNNING'""", at, at, workspace, segmentId);
    }

    @Override
    public Optional<BackfillJob> latest(String workspace, String segmentId) {
        return sql.query(JOB + "WHERE j.workspace = ? AND j.segment_id = ? ORDER BY j.started_at DESC LIMIT 1",
                JdbcBackfillJobs::job, workspace, segmentId).stream().findFirst();
    }

    private static BackfillJob job(ResultSet rs) throws SQLException {
        return new BackfillJob(rs.getString("id"), rs.getString("workspace"), rs.getString("segment_id"),
                rs.getLong("segment_version"), rs.getString("status"), rs.getLong("total"), rs.getLong("done"),
                rs.getLong("changed"), Sql.instant(rs, "started_at"), Sql.instant(rs, "updated_at"),
                Sql.instant(rs, "finished_at"));
    }
}
