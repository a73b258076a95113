package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link EventLog} on PostgreSQL: the {@code event} table. */
@ApplicationScoped
class JdbcEventLog implements EventLog {
    private final Sql sql;
    private final ObjectMapper json;

    JdbcEventLog(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public boolean hasEvent(String workspace, String messageId) {
        return sql.queryOne("SELECT 1 FROM event WHERE workspace = ? AND message_id = ?", rs -> true,
                workspace, messageId).isPresent();
    }

    @Override
    public Set<String> storedMessageIds(String workspace, Collection<String> messageIds) {
        return new HashSet<>(sql.query("SELECT message_id FROM event WHERE workspace = ? AND message_id = ANY(?)",
                rs -> rs.getString(1), workspace, messageIds.toArray(String[]::new)));
    }

    @Override
    public void recordEvent(String workspace, String profileId, String origin, IngestedEvent e) {
        sql.update("""
                INSERT INTO event (workspace, message_id, profile_id, origin_profile_id, published_profile_id, type, name,
                                   occurred_at, received_at, source_id, properties, traits, context)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)""",
                workspace, e.messageId(), profileId, origin, profileId, e.type(), e.event(), e.timestamp(), e.receivedAt(), e.sourceId(),
                JsonColumns.write(json, e.properties()), JsonColumns.write(json, e.traits()), JsonColumns.write(json, e.context()));
    }

    @Override
    public void recordEvents(String workspace, List<Attributed> events) {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[][] columns = new String[12][n];
        for (int i = 0; i < n; i++) {
            Attributed a = events.get(i);
            IngestedEvent e = a.event();
            columns[0][i] = e.messageId();
            columns[1][i] = a.profileId();
            columns[2][i] = a.origin();
            columns[3][i] = e.type();
            columns[4][i] = e.event();
            columns[5][i] = e.timestamp().toString();
            columns[6][i] = e.receivedAt().toString();
            columns[7][i] = e.sourceId();
            columns[8][i] = JsonColumns.write(json, e.properties());
            columns[9][i] = JsonColumns.write(json, e.traits());
            columns[10][i] = JsonColumns.write(json, e.context());
            columns[11][i] = a.publishedAs();
        }
        sql.update("""
                INSERT INTO event (workspace, message_id, profile_id, origin_profile_id, type, name, occurred_at,
                                   received_at, source_id, properties, traits, context, published_profile_id)
                SELECT ?, message_id, profile_id, origin, type, name, occurred_at, received_at, source_id,
                       properties::jsonb, traits::jsonb, context::jsonb, published_as
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                            ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                     AS e(message_id, profile_id, origin, type, name, occurred_at, received_at, source_id, properties,
                          traits, context, published_as)""", workspace, columns[0], columns[1], columns[2], columns[3],
                columns[4], columns[5], columns[6], columns[7], columns[8], columns[9], columns[10], columns[11]);
    }

    @Override
    public List<String> publishedKeysOf(String workspace, Collection<String> profileIds) {
        // Events recorded before V8 do not know their publishing profile: both candidates get a key.
        return sql.query("""
                SELECT DISTINCT published, message_id FROM event,
                       unnest(CASE WHEN published_profile_id IS NOT NULL THEN ARRAY[published_profile_id]
                                   ELSE ARRAY[profile_id, origin_profile_id] END) AS published
                WHERE workspace = ? AND profile_id = ANY (?)
                ORDER BY published, message_id""",
                rs -> ProfileEventKeys.event(rs.getString(1), rs.getString(2)), workspace, profileIds.toArray(String[]::new));
    }

    @Override
    public List<CustomerEvent> eventsOf(String workspace, String profileId) {
        return sql.query("""
                SELECT message_id, type, name, occurred_at, properties, traits, context FROM event
                WHERE workspace = ? AND profile_id = ? ORDER BY occurred_at, message_id""",
                this::customerEvent, workspace, profileId);
    }

    @Override
    public Map<String, List<CustomerEvent>> eventsOfAll(String workspace, Collection<String> profileIds) {
        Map<String, List<CustomerEvent>> byProfile = new HashMap<>();
        if (profileIds.isEmpty()) {
            return byProfile;
        }
        sql.query("""
                SELECT profile_id, message_id, type, name, occurred_at, properties, traits, context FROM event
                WHERE workspace = ? AND profile_id = ANY(?) ORDER BY occurred_at, message_id""",
                rs -> byProfile.computeIfAbsent(rs.getString("profile_id"), p -> new ArrayList<>()).add(customerEvent(rs)),
                workspace, profileIds.toArray(String[]::new));
        return byProfile;
    }

    private CustomerEvent customerEvent(ResultSet rs) throws SQLException {
        return new CustomerEvent(rs.getString("message_id"), rs.getString("type"), rs.getString("name"),
                Sql.instant(rs, "occurred_at"), JsonColumns.map(json, rs.getString("properties")),
                JsonColumns.map(json, rs.getString("traits")), JsonColumns.map(json, rs.getString("context")));
    }

    @Override
    public Aggregates.Neighbours neighbours(String workspace, String profileId, Instant at) {
        return sql.queryOne("""
                SELECT (SELECT max(occurred_at) FROM event WHERE profile_id = ? AND occurred_at <= ?) AS previous,
                       (SELECT min(occurred_at) FROM event WHERE profile_id = ? AND occurred_at > ?) AS next""",
                rs -> new Aggregates.Neighbours(Sql.instant(rs, "previous"), Sql.instant(rs, "next")),
                profileId, at, profileId, at).orElse(Aggregates.Neighbours.NONE);
    }
}
