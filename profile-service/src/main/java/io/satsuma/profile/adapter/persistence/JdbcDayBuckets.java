package io.satsuma.profile.adapter.persistence;

import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link DayBuckets} on PostgreSQL: the {@code profile_day} table. */
@ApplicationScoped
class JdbcDayBuckets implements DayBuckets {
    private final Sql sql;

    JdbcDayBuckets(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void addToDay(String workspace, String profileId, ProfileSettings.Day d) {
        sql.update("""
                INSERT INTO profile_day (workspace, profile_id, day, event, count, sum) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (profile_id, day, event)
                DO UPDATE SET count = profile_day.count + EXCLUDED.count, sum = profile_day.sum + EXCLUDED.sum""",
                workspace, profileId, d.day(), d.event(), d.count(), d.sum());
    }

    @Override
    public void addToDays(String workspace, Map<String, List<ProfileSettings.Day>> contributions) {
        // One row per (profile, day, event): ON CONFLICT may not meet the same key twice in a statement.
        Map<List<Object>, ProfileSettings.Day> summed = new LinkedHashMap<>();
        contributions.forEach((profileId, days) -> days.forEach(d -> summed.merge(List.of(profileId, d.day(), d.event()), d,
                (a, b) -> new ProfileSettings.Day(a.day(), a.event(), a.count() + b.count(), a.sum().add(b.sum())))));
        if (summed.isEmpty()) {
            return;
        }
        List<List<Object>> keys = List.copyOf(summed.keySet());
        sql.update("""
                INSERT INTO profile_day (workspace, profile_id, day, event, count, sum)
                SELECT ?, profile_id, day, event, count, sum
                FROM unnest(?::text[], ?::date[], ?::text[], ?::bigint[], ?::numeric[]) AS d(profile_id, day, event, count, sum)
                ON CONFLICT (profile_id, day, event)
                DO UPDATE SET count = profile_day.count + EXCLUDED.count, sum = profile_day.sum + EXCLUDED.sum""",
                workspace, keys.stream().map(k -> (String) k.get(0)).toArray(String[]::new),
                keys.stream().map(k -> k.get(1).toString()).toArray(String[]::new),
                keys.stream().map(k -> summed.get(k).event()).toArray(String[]::new),
                keys.stream().map(k -> summed.get(k).count()).toArray(Long[]::new),
                keys.stream().map(k -> summed.get(k).sum().toPlainString()).toArray(String[]::new));
    }

    @Override
    public void replaceDays(String workspace, String profileId, List<ProfileSettings.Day> days) {
        sql.update("DELETE FROM profile_day WHERE workspace = ? AND profile_id = ?", workspace, profileId);
        days.forEach(d -> addToDay(workspace, profileId, d));
    }

    @Override
    public List<ProfileSettings.Day> daysOf(String workspace, String profileId, LocalDate from,
                                            LocalDate to) {
        return sql.query("""
                SELECT day, event, count, sum FROM profile_day
                WHERE workspace = ? AND profile_id = ? AND day BETWEEN ? AND ? ORDER BY day, event""",
                rs -> new ProfileSettings.Day(rs.getObject("day", LocalDate.class), rs.getString("event"),
                        rs.getLong("count"), JsonColumns.plain(rs.getBigDecimal("sum"))),
                workspace, profileId, from, to);
    }

    @Override
    public int deleteExpiredDays(int defaultRetentionDays) {
        return sql.update("""
                DELETE FROM profile_day d WHERE d.day <= (now() AT TIME ZONE 'UTC')::date - COALESCE(
                    (SELECT (s.settings ->> 'retentionDays')::int FROM profile_settings s WHERE s.workspace = d.workspace),
                    ?)""", defaultRetentionDays);
    }
}
