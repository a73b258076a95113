package io.satsuma.insights.adapter.persistence;

import io.satsuma.insights.domain.DailyCount;
import io.satsuma.insights.domain.Rollups;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;

@ApplicationScoped
class JdbcRollups implements Rollups {
    private final Sql sql;

    JdbcRollups(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void count(String workspace, String segmentId, LocalDate day, long entries, long exits) {
        sql.update("""
                INSERT INTO segment_day (workspace, segment_id, day, entries, exits) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (workspace, segment_id, day)
                DO UPDATE SET entries = segment_day.entries + EXCLUDED.entries, exits = segment_day.exits + EXCLUDED.exits""",
                workspace, segmentId, day, entries, exits);
    }

    @Override
    public long netBefore(String workspace, String segmentId, LocalDate day) {
        return sql.queryOne("""
                SELECT coalesce(sum(entries - exits), 0) FROM segment_day
                WHERE workspace = ? AND segment_id = ? AND day < ?""", rs -> rs.getLong(1), workspace, segmentId, day)
                .orElse(0L);
    }

    @Override
    public List<DailyCount> between(String workspace, String segmentId, LocalDate from, LocalDate to) {
        return sql.query("""
                SELECT day, entries, exits FROM segment_day
                WHERE workspace = ? AND segment_id = ? AND day BETWEEN ? AND ? ORDER BY day""",
                rs -> new DailyCount(rs.getObject("day", LocalDate.class), rs.getLong("entries"), rs.getLong("exits")),
                workspace, segmentId, from, to);
    }
}
