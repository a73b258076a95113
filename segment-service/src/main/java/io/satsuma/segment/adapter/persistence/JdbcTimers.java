package io.satsuma.segment.adapter.persistence;

import io.satsuma.segment.domain.Timers;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Timers} on PostgreSQL: one row per profile with a timer, an index on {@code due_at}. */
@ApplicationScoped
public class JdbcTimers implements Timers {
    /** The sweep's query: due timers, earliest first (public so that the timer benchmark measures this very query). */
    public static final String DUE = "SELECT workspace, profile_id, due_at FROM membership_timer WHERE due_at <= ? "
            + "ORDER BY due_at LIMIT ?";

    private final Sql sql;

    JdbcTimers(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void schedule(String workspace, String profileId, Optional<Instant> dueAt) {
        if (dueAt.isPresent()) {
            sql.update("""
                    INSERT INTO membership_timer (workspace, profile_id, due_at) VALUES (?, ?, ?)
                    ON CONFLICT (workspace, profile_id) DO UPDATE SET due_at = EXCLUDED.due_at""",
                    workspace, profileId, dueAt.get());
        } else {
            sql.update("DELETE FROM membership_timer WHERE workspace = ? AND profile_id = ?", workspace, profileId);
        }
    }

    @Override
    public List<Due> due(Instant now, int limit) {
        return sql.query(DUE, rs -> new Due(rs.getString(1), rs.getString(2), Sql.instant(rs, "due_at")), now, limit);
    }

    @Override
    public Map<String, Instant> dueAtRange(String workspace, String fromProfileId, String toProfileId) {
        Map<String, Instant> due = new HashMap<>();
        sql.query("SELECT profile_id, due_at FROM membership_timer WHERE workspace = ? AND profile_id >= ? AND profile_id <= ?",
                rs -> due.put(rs.getString(1), Sql.instant(rs, "due_at")), workspace, fromProfileId, toProfileId);
        return due;
    }

    @Override
    public Map<String, Instant> dueAtAll(String workspace, Collection<String> profileIds) {
        Map<String, Instant> due = new HashMap<>();
        if (!profileIds.isEmpty()) {
            sql.query("SELECT profile_id, due_at FROM membership_timer WHERE workspace = ? AND profile_id = ANY(?)",
                    rs -> due.put(rs.getString(1), Sql.instant(rs, "due_at")), workspace,
                    profileIds.toArray(String[]::new));
        }
        return due;
    }

    @Override
    public void scheduleNoLaterThan(String workspace, Map<String, Instant> dueAt) {
        if (dueAt.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO membership_timer (workspace, profile_id, due_at)
                SELECT ?, t.profile_id, t.due_at FROM unnest(?::text[], ?::timestamptz[]) AS t(profile_id, due_at)
                ON CONFLICT (workspace, profile_id) DO UPDATE SET due_at = LEAST(membership_timer.due_at, EXCLUDED.due_at)""",
                workspace, dueAt.keySet().toArray(String[]::new),
                dueAt.values().stream().map(Instant::toString).toArray(String[]::new));
    }

    @Override
    public Optional<Instant> dueAt(String workspace, String profileId) {
        return sql.queryOne("SELECT due_at FROM membership_timer WHERE workspace = ? AND profile_id = ?",
                rs -> Sql.instant(rs, "due_at"), workspace, profileId);
    }

    @Override
    public Optional<Instant> earliestDue() {
        // The first entry of the due_at index.
        return sql.queryOne("SELECT due_at FROM membership_timer ORDER BY due_at LIMIT 1", rs -> Sql.instant(rs, "due_at"));
    }
}
