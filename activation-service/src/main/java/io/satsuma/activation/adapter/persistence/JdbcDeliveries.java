package io.satsuma.activation.adapter.persistence;

import io.satsuma.activation.domain.Deliveries;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.DueWork;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.tracing.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

@ApplicationScoped
class JdbcDeliveries implements Deliveries, DueWork {
    private final Sql sql;

    JdbcDeliveries(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean plan(Delivery d, Instant now) {
        return sql.update("""
                INSERT INTO delivery (workspace, sync_id, destination_id, change_id, segment_id, segment_name, profile_id,
                                      change, changed_at, sequence, status, next_attempt_at, created_at, trace_parent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?::text)
                ON CONFLICT (sync_id, change_id) DO NOTHING""",
                d.workspace(), d.syncId(), d.destinationId(), d.changeId(), d.segmentId(), d.segmentName(),
                d.profileId(), d.change(), d.changedAt(), d.sequence(), now, now,
                // Planned while the membership change's poll is handled: its trace, unless the caller brought one.
                d.traceParent() != null ? d.traceParent() : TraceContext.current()) == 1;
    }

    @Override
    public List<Delivery> claim(String destinationId, Instant now, int limit, Instant leaseUntil, String owner) {
        List<Delivery> claimed = sql.query("""
                UPDATE delivery d SET leased_until = ?, leased_by = ?
                FROM (SELECT x.id FROM delivery x
                      WHERE x.destination_id = ? AND x.status = 'PENDING' AND x.next_attempt_at <= ?
                        AND (x.leased_until IS NULL OR x.leased_until < ?)
                        AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.sync_id = x.sync_id AND e.profile_id = x.profile_id
                                        AND e.status = 'PENDING' AND e.id < x.id)
                      ORDER BY x.id LIMIT ? FOR UPDATE SKIP LOCKED) c
                WHERE d.id = c.id
                RETURNING d.*""", JdbcDeliveries::delivery, leaseUntil, owner, destinationId, now, now, limit);
        return claimed.stream().sorted(Comparator.comparingLong(Delivery::id)).toList();
    }

    @Override
    public void markSent(long deliveryId, int attempts, Instant at) {
        sql.update("""
                UPDATE delivery SET status = 'SENT', attempts = ?, completed_at = ?, last_error = NULL, leased_until = NULL
                WHERE id = ?""", attempts, at, deliveryId);
    }

    @Override
    public void markRetry(long deliveryId, int attempts, Instant nextAttemptAt, String error) {
        sql.update("UPDATE delivery SET attempts = ?, next_attempt_at = ?, last_error = ?, leased_until = NULL WHERE id = ?",
                attempts, nextAttemptAt, error, deliveryId);
    }

    @Override
    public void postpone(long deliveryId, Instant nextAttemptAt, String reason) {
        sql.update("UPDATE delivery SET next_attempt_at = ?, last_error = ?, leased_until = NULL WHERE id = ?",
                nextAttemptAt, reason, deliveryId);
    }

    @Override
    public void markFailed(long deliveryId, int attempts, Instant at, String error) {
        sql.update("""
                UPDATE delivery SET status = 'FAILED', attempts = ?, completed_at = ?, last_error = ?, leased_until = NULL
                WHERE id = ?""", attempts, at, error, deliveryId);
    }

    @Override
    public void markSkipped(long deliveryId, Instant at, String reason) {
        sql.update("""
                UPDATE delivery SET status = 'SKIPPED', completed_at = ?, last_error = ?, leased_until = NULL
                WHERE id = ?""", at, reason, deliveryId);
    }

    @Override
    public MessageCounts counts(String workspace, String syncId) {
        return sql.queryOne("""
                SELECT count(*) FILTER (WHERE status = 'SENT') AS sent,
                       count(*) FILTER (WHERE status = 'FAILED') AS failed,
                       count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,
                       count(*) FILTER (WHERE status = 'PENDING') AS pending,
                       min(created_at) FILTER (WHERE status = 'PENDING') AS oldest_pending,
                       (SELECT last_error FROM delivery e WHERE e.sync_id = ? AND e.last_error IS NOT NULL
                        AND e.status <> 'SKIPPED' ORDER BY e.id DESC LIMIT 1) AS last_error
                FROM delivery WHERE workspace = ? AND sync_id = ?""",
                rs -> new MessageCounts(rs.getLong("sent"), rs.getLong("failed"), rs.getLong("skipped"),
                        rs.getLong("pending"), Sql.instant(rs, "oldest_pending"), rs.getString("last_error")),
                syncId, workspace, syncId).orElseThrow();
    }

    @Override
    public int requeueFailed(String workspace, String syncId, Instant now) {
        return sql.update("""
                UPDATE delivery SET status = 'PENDING', attempts = 0, next_attempt_at = ?, completed_at = NULL,
                       leased_until = NULL
                WHERE workspace = ? AND sync_id = ? AND status = 'FAILED'""", now, workspace, syncId);
    }

    @Override
    public int forgetProfile(String workspace, String profileId) {
        return sql.update("DELETE FROM delivery WHERE workspace = ? AND profile_id = ?", workspace, profileId);
    }

    @Override
    public List<Logged> ofProfile(String workspace, String profileId, int limit) {
        return sql.query("SELECT * FROM delivery WHERE workspace = ? AND profile_id = ? ORDER BY id DESC LIMIT ?",
                rs -> new Logged(delivery(rs), rs.getString("last_error"), Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "completed_at")), workspace, profileId, limit);
    }

    @Override
    public List<String> destinationsWithDueWork(Instant now, String owner) {
        return sql.query("""
                SELECT s.destination_id FROM sync s
                WHERE s.mode = 'MIRROR' AND s.state = 'ACTIVE'
                  AND (s.lease_owner IS NULL OR s.lease_owner = ? OR s.lease_until < ?)
                  AND (EXISTS (SELECT 1 FROM audience_dirty d WHERE d.sync_id = s.id AND d.due_at <= ?)
                       OR (s.upload_started_at IS NOT NULL AND s.upload_finished_at IS NULL))
                UNION
                SELECT DISTINCT destination_id FROM delivery
                WHERE status = 'PENDING' AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until < ?)""",
                rs -> rs.getString(1), owner, now, now, now, now);
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong("id"), rs.getString("workspace"), rs.getString("sync_id"),
                rs.getString("destination_id"), rs.getString("change_id"), rs.getString("segment_id"),
                rs.getString("segment_name"), rs.getString("profile_id"), rs.getString("change"),
                Sql.instant(rs, "changed_at"), rs.getLong("sequence"), rs.getString("status"), rs.getInt("attempts"),
                rs.getString("trace_parent"));
    }
}
