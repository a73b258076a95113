package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.KnownProfile;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link Profiles} on PostgreSQL with hand-written SQL. */
@ApplicationScoped
class JdbcProfiles implements Profiles {
    private final Sql sql;
    private final ObjectMapper json;

    JdbcProfiles(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public void lockIdentifiers(String workspace, List<Identifier> identifiers) {
        // One statement for all identifiers, in sorted order, so two transactions never wait on each
        // other in opposite orders.
        String[] keys = identifiers.stream().map(id -> workspace + "\u001f" + id.type() + "\u001f" + id.value())
                .sorted().toArray(String[]::new);
        sql.query("SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest(?::text[]) AS k",
                rs -> 1, (Object) keys);
    }

    @Override
    public Map<Identifier, String> ownersOf(String workspace, List<Identifier> identifiers) {
        Map<Identifier, String> owners = new HashMap<>();
        sql.query("""
                SELECT id_type, id_value, profile_id FROM identity
                WHERE workspace = ? AND (id_type, id_value) IN (SELECT * FROM unnest(?::text[], ?::text[]))""",
                rs -> owners.put(new Identifier(rs.getString(1), rs.getString(2)), rs.getString(3)), workspace,
                identifiers.stream().map(Identifier::type).toArray(String[]::new),
                identifiers.stream().map(Identifier::value).toArray(String[]::new));
        return owners;
    }

    @Override
    public Map<Identifier, Ownership> ownershipOf(String workspace, List<Identifier> identifiers) {
        Map<Identifier, Ownership> owners = new HashMap<>();
        sql.query("""
                SELECT id_type, id_value, profile_id, origin_profile_id FROM identity
                WHERE workspace = ? AND (id_type, id_value) IN (SELECT * FROM unnest(?::text[], ?::text[]))""",
                rs -> owners.put(new Identifier(rs.getString(1), rs.getString(2)), new Ownership(rs.getString(3),
                        rs.getString(4))), workspace,
                identifiers.stream().map(Identifier::type).toArray(String[]::new),
                identifiers.stream().map(Identifier::value).toArray(String[]::new));
        return owners;
    }

    @Override
    public Map<String, KnownProfile> known(String workspace, Collection<String> profileIds) {
        // One statement for all owners, with their identifiers and separations: this runs for every event.
        Map<String, KnownProfile> known = new HashMap<>();
        sql.query("""
                SELECT p.id, p.created_at,
                       ARRAY(SELECT i.id_type || chr(31) || i.id_value FROM identity i WHERE i.profile_id = p.id) AS ids,
                       ARRAY(SELECT s.other_id FROM separation s
                             WHERE s.workspace = p.workspace AND s.profile_id = p.id) AS apart
                FROM profile p WHERE p.workspace = ? AND p.id = ANY(?)""",
                rs -> {
                    Set<Identifier> identifiers = new HashSet<>();
                    for (String id : (String[]) rs.getArray("ids").getArray()) {
                        String[] typeAndValue = id.split("\u001f", 2);
                        identifiers.add(new Identifier(typeAndValue[0], typeAndValue[1]));
                    }
                    return known.put(rs.getString("id"), new KnownProfile(rs.getString("id"), Sql.instant(rs, "created_at"),
                            identifiers, Set.of((String[]) rs.getArray("apart").getArray())));
                }, workspace, new HashSet<>(profileIds).toArray(String[]::new));
        return known;
    }

    @Override
    public boolean hasEvent(String workspace, String messageId) {
        return sql.queryOne("SELECT 1 FROM event WHERE workspace = ? AND message_id = ?", rs -> true,
                workspace, messageId).isPresent();
    }

    @Override
    public java.util.Set<String> lockProfiles(String workspace, java.util.Collection<String> profileIds) {
        if (profileIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(sql.query("""
                SELECT id, status FROM profile WHERE workspace = ? AND id = ANY(?) ORDER BY id FOR UPDATE""",
                rs -> ProfileState.ACTIVE.equals(rs.getString(2)) ? rs.getString(1) : null, workspace,
                profileIds.stream().sorted().toArray(String[]::new)).stream().filter(java.util.Objects::nonNull).toList());
    }

    @Override
    public Optional<ProfileState> find(String workspace, String profileId) {
        return sql.queryOne("SELECT * FROM profile WHERE workspace = ? AND id = ?", this::profile, workspace, profileId);
    }

    @Override
    public List<Identifier> identifiersOf(String workspace, String profileId) {
        return sql.query("""
                SELECT id_type, id_value FROM identity WHERE workspace = ? AND profile_id = ?
                ORDER BY id_type, created_at, id_value""",
                rs -> new Identifier(rs.getString(1), rs.getString(2)), workspace, profileId);
    }

    @Override
    public void create(String workspace, ProfileState p) {
        sql.update("""
                INSERT INTO profile (id, workspace, version, status, traits, aggregates, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)""",
                p.id(), workspace, p.version(), p.status(), traits(p), JsonColumns.write(json, p.aggregates()),
                p.createdAt(), p.updatedAt());
    }

    @Override
    public void attach(String workspace, String profileId, List<Identifier> identifiers, String origin, Instant at) {
        for (Identifier id : identifiers) {
            sql.update("""
                    INSERT INTO identity (workspace, id_type, id_value, profile_id, origin_profile_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)""", workspace, id.type(), id.value(), profileId, origin, at);
        }
    }

    @Override
    public void absorb(String workspace, String survivorId, String absorbedId, Instant at) {
        sql.update("UPDATE identity SET profile_id = ? WHERE workspace = ? AND profile_id = ?", survivorId, workspace, absorbedId);
        sql.update("UPDATE event SET profile_id = ? WHERE workspace = ? AND profile_id = ?", survivorId, workspace, absorbedId);
        // The survivor's own traits win over the absorbed profile's.
        sql.update("""
                UPDATE profile s SET traits = a.traits || s.traits
                FROM profile a WHERE s.id = ? AND a.id = ? AND s.workspace = ? AND a.workspace = s.workspace""",
                survivorId, absorbedId, workspace);
        sql.update("""
                UPDATE profile SET status = 'MERGED', merged_into = ?, version = version + 1, updated_at = ?
                WHERE workspace = ? AND id = ?""", survivorId, at, workspace, absorbedId);
        sql.update("""
                INSERT INTO separation (workspace, profile_id, other_id, at)
                SELECT workspace, ?, other_id, at FROM separation WHERE workspace = ? AND profile_id = ?
                UNION ALL
                SELECT workspace, other_id, ?, at FROM separation WHERE workspace = ? AND profile_id = ?
                ON CONFLICT DO NOTHING""", survivorId, workspace, absorbedId, survivorId, workspace, absorbedId);
        moveDays(workspace, survivorId, absorbedId);
    }

    private void moveDays(String workspace, String survivorId, String absorbedId) {
        sql.update("""
                INSERT INTO profile_day (workspace, profile_id, day, event, count, sum)
                SELECT workspace, ?, day, event, count, sum FROM profile_day WHERE workspace = ? AND profile_id = ?
                ON CONFLICT (profile_id, day, event)
                DO UPDATE SET count = profile_day.count + EXCLUDED.count, sum = profile_day.sum + EXCLUDED.sum""",
                survivorId, workspace, absorbedId);
        sql.update("DELETE FROM profile_day WHERE workspace = ? AND profile_id = ?", workspace, absorbedId);
    }

    @Override
    public List<String> withAbsorbed(String workspace, String profileId) {
        return sql.query("""
                WITH RECURSIVE brought(id) AS (
                    SELECT ?::text
                    UNION
                    SELECT p.id FROM profile p JOIN brought b ON p.merged_into = b.id
                    WHERE p.workspace = ? AND p.status = 'MERGED')
                SELECT id FROM brought""", rs -> rs.getString(1), profileId, workspace);
    }

    @Override
    public List<String> restore(String workspace, String survivorId, String restoredId, List<String> origins) {
        String[] from = origins.toArray(String[]::new);
        sql.update("""
                UPDATE identity SET profile_id = ? WHERE workspace = ? AND profile_id = ? AND origin_profile_id = ANY(?)""",
                restoredId, workspace, survivorId, from);
        return sql.query("""
                UPDATE event SET profile_id = ? WHERE workspace = ? AND profile_id = ? AND origin_profile_id = ANY(?)
                RETURNING message_id""", rs -> rs.getString(1), restoredId, workspace, survivorId, from);
    }

    @Override
    public void keepApart(String workspace, String profileId, String otherId, Instant at) {
        sql.update("""
                INSERT INTO separation (workspace, profile_id, other_id, at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", workspace, profileId, otherId, at, workspace, otherId, profileId, at);
    }

    @Override
    public List<CustomerEvent> eventsOf(String workspace, String profileId) {
        return sql.query("""
                SELECT message_id, type, name, occurred_at, properties, traits, context FROM event
                WHERE workspace = ? AND profile_id = ? ORDER BY occurred_at, message_id""",
                rs -> new CustomerEvent(rs.getString("message_id"), rs.getString("type"), rs.getString("name"),
                        Sql.instant(rs, "occurred_at"), JsonColumns.map(json, rs.getString("properties")),
                        JsonColumns.map(json, rs.getString("traits")), JsonColumns.map(json, rs.getString("context"))),
                workspace, profileId);
    }

    @Override
    public Aggregates.Neighbours neighbours(String workspace, String profileId, Instant at) {
        return sql.queryOne("""
                SELECT (SELECT max(occurred_at) FROM event WHERE profile_id = ? AND occurred_at <= ?) AS previous,
                       (SELECT min(occurred_at) FROM event WHERE profile_id = ? AND occurred_at > ?) AS next""",
                rs -> new Aggregates.Neighbours(Sql.instant(rs, "previous"), Sql.instant(rs, "next")),
                profileId, at, profileId, at).orElse(Aggregates.Neighbours.NONE);
    }

    @Override
    public void recordEvent(String workspace, String profileId, String origin, IngestedEvent e) {
        sql.update("""
                INSERT INTO event (workspace, message_id, profile_id, origin_profile_id, type, name, occurred_at,
                                   received_at, source_id, properties, traits, context)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)""",
                workspace, e.messageId(), profileId, origin, e.type(), e.event(), e.timestamp(), e.receivedAt(), e.sourceId(),
                JsonColumns.write(json, e.properties()), JsonColumns.write(json, e.traits()), JsonColumns.write(json, e.context()));
    }

    @Override
    public void save(String workspace, ProfileState p) {
        sql.update("""
                UPDATE profile SET version = ?, status = ?, merged_into = ?, traits = ?::jsonb, aggregates = ?::jsonb,
                       updated_at = ?
                WHERE workspace = ? AND id = ?""",
                p.version(), p.status(), p.mergedInto(), traits(p), JsonColumns.write(json, p.aggregates()),
                p.updatedAt(), workspace, p.id());
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
    public void replaceDays(String workspace, String profileId, List<ProfileSettings.Day> days) {
        sql.update("DELETE FROM profile_day WHERE workspace = ? AND profile_id = ?", workspace, profileId);
        days.forEach(d -> addToDay(workspace, profileId, d));
    }

    @Override
    public List<ProfileSettings.Day> daysOf(String workspace, String profileId, java.time.LocalDate from,
                                            java.time.LocalDate to) {
        return sql.query("""
                SELECT day, event, count, sum FROM profile_day
                WHERE workspace = ? AND profile_id = ? AND day BETWEEN ? AND ? ORDER BY day, event""",
                rs -> new ProfileSettings.Day(rs.getObject("day", java.time.LocalDate.class), rs.getString("event"),
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

    @Override
    public void journal(String workspace, MergeEntry e) {
        sql.update("""
                INSERT INTO merge_journal (workspace, survivor_id, absorbed_id, outcome, rule, reason, identifier_type,
                                           message_id, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                workspace, e.survivorId(), e.absorbedId(), e.outcome(), e.rule(), e.reason(), e.identifierType(),
                e.messageId(), e.at());
    }

    @Override
    public List<MergeEntry> mergesOf(String workspace, String profileId) {
        List<MergeEntry> entries = new ArrayList<>(sql.query("""
                SELECT * FROM merge_journal WHERE workspace = ? AND (survivor_id = ? OR absorbed_id = ?) ORDER BY id""",
                rs -> new MergeEntry(rs.getString("survivor_id"), rs.getString("absorbed_id"), rs.getString("outcome"),
                        rs.getString("rule"), rs.getString("reason"), rs.getString("identifier_type"),
                        rs.getString("message_id"), Sql.instant(rs, "at")),
                workspace, profileId, profileId));
        entries.sort(Comparator.comparing(MergeEntry::at));
        return entries;
    }

    private ProfileState profile(ResultSet rs) throws SQLException {
        return new ProfileState(rs.getString("id"), rs.getLong("version"), rs.getString("status"),
                rs.getString("merged_into"), JsonColumns.map(json, rs.getString("traits")),
                aggregates(rs.getString("aggregates")),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    @Override
    public Set<String> storedMessageIds(String workspace, Collection<String> messageIds) {
        return new HashSet<>(sql.query("SELECT message_id FROM event WHERE workspace = ? AND message_id = ANY(?)",
                rs -> rs.getString(1), workspace, messageIds.toArray(String[]::new)));
    }

    @Override
    public Map<String, ProfileState> findAll(String workspace, Collection<String> profileIds) {
        Map<String, ProfileState> found = new HashMap<>();
        sql.query("SELECT * FROM profile WHERE workspace = ? AND id = ANY(?)", this::profile, workspace,
                profileIds.toArray(String[]::new)).forEach(p -> found.put(p.id(), p));
        return found;
    }

    @Override
    public void createAll(String workspace, List<ProfileState> states, Map<String, List<Identifier>> identifiersById,
                          Instant at) {
        if (states.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO profile (id, workspace, version, status, traits, aggregates, created_at, updated_at)
                SELECT id, ?, version, status, traits::jsonb, aggregates::jsonb, created_at, updated_at
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
                     AS p(id, version, status, traits, aggregates, created_at, updated_at)""", workspace,
                states.stream().map(ProfileState::id).toArray(String[]::new),
                states.stream().map(ProfileState::version).toArray(Long[]::new),
                states.stream().map(ProfileState::status).toArray(String[]::new),
                states.stream().map(this::traits).toArray(String[]::new),
                states.stream().map(p -> JsonColumns.write(json, p.aggregates())).toArray(String[]::new),
                states.stream().map(p -> p.createdAt().toString()).toArray(String[]::new),
                states.stream().map(p -> p.updatedAt().toString()).toArray(String[]::new));
        List<String> owners = new ArrayList<>();
        List<Identifier> identifiers = new ArrayList<>();
        states.forEach(profile -> identifiersById.get(profile.id()).forEach(id -> {
            owners.add(profile.id());
            identifiers.add(id);
        }));
        sql.update("""
                INSERT INTO identity (workspace, id_type, id_value, profile_id, origin_profile_id, created_at)
                SELECT ?, id_type, id_value, profile_id, profile_id, ? FROM unnest(?::text[], ?::text[], ?::text[])
                     AS i(id_type, id_value, profile_id)""", workspace, at,
                identifiers.stream().map(Identifier::type).toArray(String[]::new),
                identifiers.stream().map(Identifier::value).toArray(String[]::new), owners.toArray(String[]::new));
    }

    @Override
    public void recordEvents(String workspace, List<Attributed> events) {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[][] columns = new String[11][n];
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
        }
        sql.update("""
                INSERT INTO event (workspace, message_id, profile_id, origin_profile_id, type, name, occurred_at,
                                   received_at, source_id, properties, traits, context)
                SELECT ?, message_id, profile_id, origin, type, name, occurred_at, received_at, source_id,
                       properties::jsonb, traits::jsonb, context::jsonb
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                            ?::text[], ?::text[], ?::text[], ?::text[])
                     AS e(message_id, profile_id, origin, type, name, occurred_at, received_at, source_id, properties,
                          traits, context)""", workspace, columns[0], columns[1], columns[2], columns[3], columns[4],
                columns[5], columns[6], columns[7], columns[8], columns[9], columns[10]);
    }

    @Override
    public void addToDays(String workspace, Map<String, List<ProfileSettings.Day>> contributions) {
        // One row per (profile, day, event): ON CONFLICT may not meet the same key twice in a statement.
        Map<List<Object>, ProfileSettings.Day> summed = new java.util.LinkedHashMap<>();
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
    public void saveAll(String workspace, Collection<ProfileState> states) {
        if (states.isEmpty()) {
            return;
        }
        List<ProfileState> list = List.copyOf(states);
        sql.update("""
                UPDATE profile p SET version = s.version, traits = s.traits::jsonb, aggregates = s.aggregates::jsonb,
                       updated_at = s.updated_at
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::timestamptz[])
                     AS s(id, version, traits, aggregates, updated_at)
                WHERE p.workspace = ? AND p.id = s.id""",
                list.stream().map(ProfileState::id).toArray(String[]::new),
                list.stream().map(ProfileState::version).toArray(Long[]::new),
                list.stream().map(this::traits).toArray(String[]::new),
                list.stream().map(p -> JsonColumns.write(json, p.aggregates())).toArray(String[]::new),
                list.stream().map(p -> p.updatedAt().toString()).toArray(String[]::new), workspace);
    }

    @Override
    public Map<String, List<Identifier>> identifiersOfAll(String workspace, Collection<String> profileIds) {
        Map<String, List<Identifier>> all = new HashMap<>();
        sql.query("""
                SELECT profile_id, id_type, id_value FROM identity WHERE workspace = ? AND profile_id = ANY(?)
                ORDER BY id_type, created_at, id_value""",
                rs -> all.computeIfAbsent(rs.getString(1), p -> new ArrayList<>())
                        .add(new Identifier(rs.getString(2), rs.getString(3))),
                workspace, profileIds.toArray(String[]::new));
        return all;
    }

    private ProfileAggregates aggregates(String column) {
        try {
            return column == null ? Aggregates.empty() : json.readValue(column, ProfileAggregates.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("unreadable aggregates column", e);
        }
    }

    private String traits(ProfileState p) {
        return JsonColumns.write(json, p.traits() == null ? Map.of() : p.traits());
    }
}
