package io.satsuma.segment.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.ObservedEvent;
import io.satsuma.segment.domain.ProfileChanges;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileScans;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

@ApplicationScoped
class JdbcProfileStates implements ProfileStates, ProfileScans {
    private static final int UNFILTERED_RANGE = 5_000;
    private static final int FILTERED_RANGE = BackfillJob.PAGE_PROFILES;
    /** Profiles sampled to plan a backfill's pages: at least this many, and this many per page. */
    private static final int SAMPLE_PROFILES = 5_000;
    private static final int SAMPLE_PER_PAGE = 50;

    private final Sql sql;
    private final ObjectMapper json;

    JdbcProfileStates(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public boolean lock(String workspace, String profileId) {
        // Shared catalog lock first: a segment definition change waits for in-flight evaluations and
        // vice versa, so a new segment is never missed by both its backfill and a concurrent evaluation.
        sql.query("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))", rs -> 1,
                JdbcSegments.catalogLockKey(workspace));
        int created = sql.update("INSERT INTO profile_state (workspace, profile_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                workspace, profileId);
        sql.query("SELECT 1 FROM profile_state WHERE workspace = ? AND profile_id = ? FOR UPDATE", rs -> 1,
                workspace, profileId);
        return created == 1;
    }

    /** Three statements for a whole poll's profiles instead of three per profile. */
    @Override
    public Set<String> lockAll(String workspace, Collection<String> profileIds) {
        String[] ids = profileIds.stream().sorted().distinct().toArray(String[]::new);
        if (ids.length == 0) {
            return Set.of();
        }
        sql.query("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))", rs -> 1,
                JdbcSegments.catalogLockKey(workspace));
        // In id order, as every locker of profile rows takes them.
        Set<String> created = new LinkedHashSet<>(sql.query("""
                INSERT INTO profile_state (workspace, profile_id) SELECT ?, p FROM unnest(?::text[]) WITH ORDINALITY AS u(p, n)
                ORDER BY n ON CONFLICT DO NOTHING RETURNING profile_id""", rs -> rs.getString(1), workspace, ids));
        sql.query("SELECT 1 FROM profile_state WHERE workspace = ? AND profile_id = ANY(?) ORDER BY profile_id FOR UPDATE",
                rs -> 1, workspace, ids);
        return created;
    }

    /**
     * Reads what is stored of the poll's profiles, keeps the newer snapshots, and writes them and their
     * identifiers with one statement each; what each changed is decided against what was stored.
     */
    @Override
    public Map<String, ProfileChanges> applySnapshots(String workspace, List<Snapshot> snapshots) {
        if (snapshots.isEmpty()) {
            return Map.of();
        }
        Map<String, ProfileChanges> changes = new LinkedHashMap<>();
        List<Snapshot> newer = new ArrayList<>();
        Map<String, Snapshot> byProfile = new HashMap<>();
        snapshots.forEach(s -> byProfile.put(s.profileId(), s)); // one per profile: the caller kept the newest
        sql.query("""
                SELECT profile_id, snapshot_version, status, traits, aggregates FROM profile_state
                WHERE workspace = ? AND profile_id = ANY(?)""", rs -> {
            Snapshot s = byProfile.get(rs.getString(1));
            if (s.version() > rs.getLong(2)) {
                newer.add(s);
                changes.put(s.profileId(), ProfileChanges.snapshot(rs.getString(3), s.status(),
                        JsonColumns.map(json, rs.getString(4)), orEmpty(s.traits()),
                        JsonColumns.map(json, rs.getString(5)), orEmpty(s.aggregates())));
            }
            return null;
        }, workspace, byProfile.keySet().toArray(String[]::new));
        if (newer.isEmpty()) {
            return changes;
        }
        sql.update("""
                UPDATE profile_state p SET snapshot_version = s.version, status = s.status, merged_into = s.merged_into,
                       traits = s.traits::jsonb, aggregates = s.aggregates::jsonb, updated_at = now()
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                     AS s(profile_id, version, status, merged_into, traits, aggregates)
                WHERE p.workspace = ? AND p.profile_id = s.profile_id AND p.snapshot_version < s.version""",
                newer.stream().map(Snapshot::profileId).toArray(String[]::new),
                newer.stream().map(Snapshot::version).toArray(Long[]::new),
                newer.stream().map(Snapshot::status).toArray(String[]::new),
                newer.stream().map(Snapshot::mergedInto).toArray(String[]::new),
                newer.stream().map(s -> JsonColumns.write(json, orEmpty(s.traits()))).toArray(String[]::new),
                newer.stream().map(s -> JsonColumns.write(json, orEmpty(s.aggregates()))).toArray(String[]::new),
                workspace);
        // One row per identifier (the last snapshot naming it wins), or the upsert would touch a row twice.
        Map<List<String>, String> owners = new LinkedHashMap<>();
        newer.forEach(s -> s.identifiers().forEach(id -> owners.put(List.of(id.type(), id.value()), s.profileId())));
        if (!owners.isEmpty()) {
            sql.update("""
                    INSERT INTO profile_identifier (workspace, id_type, id_value, profile_id)
                    SELECT ?, i.id_type, i.id_value, i.profile_id FROM unnest(?::text[], ?::text[], ?::text[])
                         AS i(id_type, id_value, profile_id)
                    ON CONFLICT (workspace, id_type, id_value) DO UPDATE SET profile_id = EXCLUDED.profile_id""",
                    workspace, owners.keySet().stream().map(k -> k.get(0)).toArray(String[]::new),
                    owners.keySet().stream().map(k -> k.get(1)).toArray(String[]::new),
                    owners.values().toArray(String[]::new));
        }
        return changes;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> values) {
        return values == null ? Map.of() : values;
    }

    @Override
    public Set<String> addEvents(String workspace, List<AttributedEvent> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(sql.query("""
                INSERT INTO profile_event (workspace, event_id, profile_id, name, occurred_at, properties)
                SELECT ?, e.event_id, e.profile_id, e.name, e.occurred_at, e.properties::jsonb
                FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[])
                     AS e(event_id, profile_id, name, occurred_at, properties)
                ON CONFLICT DO NOTHING RETURNING event_id""", rs -> rs.getString(1), workspace,
                events.stream().map(e -> e.event().eventId()).toArray(String[]::new),
                events.stream().map(AttributedEvent::profileId).toArray(String[]::new),
                events.stream().map(e -> e.event().name()).toArray(String[]::new),
                events.stream().map(e -> e.event().occurredAt() == null ? null : e.event().occurredAt().toString())
                        .toArray(String[]::new),
                events.stream().map(e -> JsonColumns.write(json, e.event().properties())).toArray(String[]::new)));
    }

    @Override
    public void moveEvents(String workspace, String absorbedId, String survivorId) {
        sql.update("UPDATE profile_event SET profile_id = ? WHERE workspace = ? AND profile_id = ?",
                survivorId, workspace, absorbedId);
        sql.update("UPDATE profile_state SET status = 'MERGED', merged_into = ? WHERE workspace = ? AND profile_id = ?",
                survivorId, workspace, absorbedId);
    }

    @Override
    public void restoreEvents(String workspace, String survivorId, String restoredId, List<String> eventIds) {
        sql.update("UPDATE profile_event SET profile_id = ? WHERE workspace = ? AND profile_id = ? AND event_id = ANY(?)",
                restoredId, workspace, survivorId, eventIds.toArray(String[]::new));
        sql.update("""
                UPDATE profile_state SET status = 'ACTIVE', merged_into = NULL
                WHERE workspace = ? AND profile_id = ? AND status = 'MERGED'""", workspace, restoredId);
    }

    @Override
    public boolean isActive(String workspace, String profileId) {
        return sql.queryOne("SELECT status FROM profile_state WHERE workspace = ? AND profile_id = ?",
                rs -> rs.getString(1), workspace, profileId).map("ACTIVE"::equals).orElse(false);
    }

    @Override
    public ProfileFacts facts(String workspace, String profileId, Evaluation.Inputs inputs) {
        Map<String, Object> traits = sql.queryOne(
                "SELECT traits, aggregates FROM profile_state WHERE workspace = ? AND profile_id = ?",
                rs -> traitsAndAttributes(rs.getString(1), rs.getString(2)), workspace, profileId).orElse(Map.of());
        List<ObservedEvent> events = inputs.eventNames().isEmpty() ? List.of() : sql.query("""
                SELECT event_id, name, occurred_at, properties FROM profile_event
                WHERE workspace = ? AND profile_id = ? AND occurred_at >= ? AND name = ANY(?) ORDER BY occurred_at""",
                rs -> new ObservedEvent(rs.getString("event_id"), rs.getString("name"), Sql.instant(rs, "occurred_at"),
                        JsonColumns.map(json, rs.getString("properties"))),
                workspace, profileId, inputs.eventsSince(), inputs.eventNames().toArray(String[]::new));
        return new ProfileFacts(profileId, traits, events);
    }

    /** One read of the profiles' rows and one of their events, whatever their number. */
    @Override
    public Map<String, ProfileFacts> factsOfActive(String workspace, Collection<String> profileIds,
                                                   Evaluation.Inputs inputs) {
        Map<String, ProfileFacts> facts = new LinkedHashMap<>();
        if (!profileIds.isEmpty()) {
            read(workspace, "p.profile_id = ANY(?)", List.<Object>of((Object) profileIds.toArray(String[]::new)),
                    inputs, false)
                    .forEach(f -> facts.put(f.profileId(), f));
        }
        return facts;
    }

    @Override
    public Range lockRange(String workspace, String afterProfileId, String upTo, List<Segment> segments,
                           Evaluation.Inputs inputs, Instant now) {
        sql.query("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))", rs -> 1,
                JdbcSegments.catalogLockKey(workspace));
        // Plan each range for its own bounds: a generic plan cannot know a range is narrow and scans the table.
        sql.update("SET LOCAL plan_cache_mode = force_custom_plan");
        // Parallel workers would each rebuild the range's hashed sub-plans, on cores the service needs.
        sql.update("SET LOCAL max_parallel_workers_per_gather = 0");
        boolean filtered = CandidateFilter.narrows(segments, now);
        if (filtered && upTo != null) {
            return lockWholeRange(workspace, afterProfileId, upTo, segments, inputs, now);
        }
        // Unfiltered, every profile of the range is read: keep it small. Filtered, PostgreSQL skips most.
        int size = filtered ? FILTERED_RANGE : UNFILTERED_RANGE;
        // Up to the bound, or past every id (a text greater than any is not portable).
        String bounded = upTo == null ? "" : " AND profile_id <= ?";
        List<Object> bounds = upTo == null ? List.of(workspace, afterProfileId) : List.of(workspace, afterProfileId, upTo);
        List<Object> withOffset = new ArrayList<>(bounds);
        withOffset.add(size - 1);
        Optional<String> end = sql.queryOne("""
                SELECT profile_id FROM profile_state WHERE workspace = ? AND status = 'ACTIVE' AND profile_id > ?"""
                + bounded + " ORDER BY profile_id OFFSET ? LIMIT 1", rs -> rs.getString(1), withOffset.toArray());
        long profiles = size;
        if (end.isEmpty()) {
            Optional<Object[]> rest = sql.queryOne("""
                    SELECT count(*), max(profile_id) FROM profile_state WHERE workspace = ? AND status = 'ACTIVE'
                    AND profile_id > ?""" + bounded, rs -> new Object[] {rs.getLong(1), rs.getString(2)}, bounds.toArray());
            profiles = rest.map(r -> (Long) r[0]).orElse(0L);
            if (profiles == 0) {
                return new Range(null, 0, List.of());
            }
            end = Optional.of((String) rest.get()[1]);
        }
        List<Object> where = new ArrayList<>(List.of(afterProfileId, end.get()));
        String candidates = "TRUE";
        if (filtered) {
            CandidateFilter.Predicate filter = CandidateFilter.of(segments, now,
                    new CandidateFilter.Range(workspace, afterProfileId, end.get()));
            where.addAll(filter.params());
            candidates = filter.sql();
        }
        List<ProfileFacts> facts = read(workspace, "p.profile_id > ? AND p.profile_id <= ? AND " + candidates
                + " ORDER BY p.profile_id FOR UPDATE OF p", where, inputs, !filtered);
        return new Range(end.get(), profiles, facts);
    }

    /**
     * A planned page, in one pass over its rows: counted and narrowed to its candidates together, then only
     * the candidates locked and read. A profile that becomes a candidate between the two statements was
     * changed by an evaluation that held the catalog lock, so it already saw the new segment.
     */
    private Range lockWholeRange(String workspace, String afterProfileId, String upTo, List<Segment> segments,
                                 Evaluation.Inputs inputs, Instant now) {
        CandidateFilter.Predicate filter = CandidateFilter.of(segments, now,
                new CandidateFilter.Range(workspace, afterProfileId, upTo));
        List<Object> params = new ArrayList<>(filter.params());
        params.addAll(List.of(workspace, afterProfileId, upTo));
        Object[] counted = sql.queryOne("SELECT count(*), array_agg(p.profile_id) FILTER (WHERE "
                        + filter.sql() + ") FROM profile_state p WHERE p.workspace = ? AND p.status = 'ACTIVE'"
                        + " AND p.profile_id > ? AND p.profile_id <= ?",
                rs -> new Object[] {rs.getLong(1), rs.getArray(2) == null ? new String[0] : rs.getArray(2).getArray()},
                params.toArray()).orElseThrow();
        long profiles = (Long) counted[0];
        if (profiles == 0) {
            return new Range(null, 0, List.of());
        }
        String[] ids = (String[]) counted[1];
        List<ProfileFacts> facts = ids.length == 0 ? List.of() : read(workspace,
                "p.profile_id = ANY(?) ORDER BY p.profile_id FOR UPDATE OF p", List.of((Object) ids), inputs, false);
        return new Range(upTo, profiles, facts);
    }

    /**
     * Active profiles matching {@code where}, with only the traits, aggregates and events the inputs name:
     * a backfill reads a million profiles, and every byte it does not read or parse is time saved.
     */
    private List<ProfileFacts> read(String workspace, String where, List<Object> whereParams, Evaluation.Inputs inputs,
                                    boolean eventsByRange) {
        Set<String> traitKeys = new LinkedHashSet<>();
        Set<String> attributeKeys = new LinkedHashSet<>();
        boolean allAttributes = false;
        for (String path : inputs.traitPaths()) {
            StoredTrait stored = StoredTrait.of(path);
            if (stored.column().equals("traits")) {
                traitKeys.add(stored.key());
            } else if (stored.key() == null) {
                allAttributes = true;
            } else {
                attributeKeys.add(stored.key());
            }
        }
        List<Object> params = new ArrayList<>();
        String traits = projection("traits", traitKeys, params);
        String attributes = allAttributes ? "aggregates" : projection("aggregates", attributeKeys, params);
        params.add(workspace);
        params.addAll(whereParams);
        List<ProfileFacts> page = sql.query("SELECT profile_id, " + traits + ", " + attributes
                        + " FROM profile_state p WHERE p.workspace = ? AND p.status = 'ACTIVE' AND " + where,
                rs -> new ProfileFacts(rs.getString(1), traitsAndAttributes(rs.getString(2), rs.getString(3)),
                        new ArrayList<>()),
                params.toArray());
        if (page.isEmpty() || inputs.eventNames().isEmpty()) {
            return page;
        }
        Map<String, List<ObservedEvent>> events = new HashMap<>();
        page.forEach(p -> events.put(p.profileId(), p.events()));
        // Every profile of a range: one scan of the (workspace, profile_id, occurred_at) index; a few: by id.
        Sql.RowMapper<Object> collect = rs -> {
            List<ObservedEvent> of = events.get(rs.getString(1));
            if (of != null) {
                of.add(new ObservedEvent(rs.getString(2), rs.getString(3), Sql.instant(rs, "occurred_at"),
                        JsonColumns.map(json, rs.getString(5))));
            }
            return null;
        };
        String[] names = inputs.eventNames().toArray(String[]::new);
        if (eventsByRange) {
            sql.query("""
                    SELECT profile_id, event_id, name, occurred_at, properties FROM profile_event
                    WHERE workspace = ? AND profile_id >= ? AND profile_id <= ? AND occurred_at >= ? AND name = ANY(?)
                    ORDER BY profile_id, occurred_at""", collect,
                    workspace, page.get(0).profileId(), page.get(page.size() - 1).profileId(), inputs.eventsSince(), names);
        } else {
            sql.query("""
                    SELECT profile_id, event_id, name, occurred_at, properties FROM profile_event
                    WHERE workspace = ? AND profile_id = ANY(?) AND occurred_at >= ? AND name = ANY(?)
                    ORDER BY profile_id, occurred_at""", collect, workspace,
                    page.stream().map(ProfileFacts::profileId).toArray(String[]::new), inputs.eventsSince(), names);
        }
        return page;
    }

    /** {@code column} reduced to the given top-level keys (bound as parameters), or an empty object. */
    private static String projection(String column, Set<String> keys, List<Object> params) {
        if (keys.isEmpty()) {
            return "'{}'::jsonb";
        }
        StringJoiner pairs = new StringJoiner(", ", "jsonb_build_object(", ")");
        for (String key : keys) {
            pairs.add("?::text, " + column + " -> ?::text");
            params.add(key);
            params.add(key);
        }
        return pairs.toString();
    }

    private Map<String, Object> traitsAndAttributes(String traits, String aggregates) {
        Map<String, Object> all = new HashMap<>(JsonColumns.map(json, traits));
        all.put(ProfileFacts.PROFILE_ATTRIBUTES, JsonColumns.map(json, aggregates));
        return all;
    }

    @Override
    public void nextMembershipVersions(String workspace, Collection<String> profileIds) {
        if (!profileIds.isEmpty()) {
            sql.update("""
                    UPDATE profile_state SET membership_version = membership_version + 1
                    WHERE workspace = ? AND profile_id = ANY(?)""", workspace, profileIds.toArray(String[]::new));
        }
    }

    @Override
    public long nextMembershipVersion(String workspace, String profileId) {
        return sql.queryOne("""
                UPDATE profile_state SET membership_version = membership_version + 1
                WHERE workspace = ? AND profile_id = ? RETURNING membership_version""",
                rs -> rs.getLong(1), workspace, profileId).orElseThrow();
    }

    @Override
    public Optional<String> profileOf(String workspace, Identifier identifier) {
        return sql.queryOne("SELECT profile_id FROM profile_identifier WHERE workspace = ? AND id_type = ? AND id_value = ?",
                rs -> rs.getString(1), workspace, identifier.type(), identifier.value());
    }

    @Override
    public List<String> profileIds(String workspace, String afterProfileId, int limit) {
        return sql.query("""
                SELECT profile_id FROM profile_state WHERE workspace = ? AND profile_id > ? AND status = 'ACTIVE'
                ORDER BY profile_id LIMIT ?""", rs -> rs.getString(1), workspace, afterProfileId, limit);
    }

    @Override
    public List<String> pageBounds(String workspace, long activeProfiles, int pageProfiles) {
        long pages = (activeProfiles + pageProfiles - 1) / pageProfiles;
        if (pages < 2) {
            return List.of();
        }
        StringJoiner fractions = new StringJoiner(", ", "ARRAY[", "]::float8[]");
        for (long i = 1; i < pages; i++) {
            fractions.add(Double.toString((double) i / pages));
        }
        String quantiles = "percentile_disc(" + fractions + ") WITHIN GROUP (ORDER BY profile_id)";
        // A sample of the workspace's profiles from whole pages picked at random (TABLESAMPLE SYSTEM reads only
        // those): its quantiles split the ids, in the database's collation. At least SAMPLE_PER_PAGE per page.
        long sample = Math.max(SAMPLE_PROFILES, pages * SAMPLE_PER_PAGE);
        double percent = Math.min(100, 100.0 * sample / activeProfiles);
        // The sample is of the whole table: where the workspace is a small part of it, sampling would read more
        // rows than the workspace has, and its own ids, all of them, are the cheaper read.
        double tableRows = sql.queryOne("SELECT reltuples FROM pg_class WHERE oid = 'profile_state'::regclass",
                rs -> rs.getDouble(1)).orElse(-1.0);
        if (tableRows < 0 || percent / 100 * tableRows > activeProfiles / 4.0) {
            return sql.queryOne("SELECT " + quantiles + " FROM profile_state WHERE workspace = ? AND status = 'ACTIVE'",
                    rs -> distinct(rs.getArray(1)), workspace).orElse(List.of());
        }
        return sql.queryOne("SELECT count(*), " + quantiles
                        + " FROM profile_state TABLESAMPLE SYSTEM (?::real) WHERE workspace = ? AND status = 'ACTIVE'",
                rs -> rs.getLong(1) < pages * SAMPLE_PER_PAGE / 2 ? List.<String>of() : distinct(rs.getArray(2)),
                percent, workspace).orElse(List.of());
    }

    private static List<String> distinct(Array ids) throws SQLException {
        return ids == null ? List.of() : List.of((String[]) ids.getArray()).stream().distinct().toList();
    }

    @Override
    public long countActive(String workspace) {
        return sql.queryOne("SELECT count(*) FROM profile_state WHERE workspace = ? AND status = 'ACTIVE'",
                rs -> rs.getLong(1), workspace).orElse(0L);
    }

    @Override
    public List<Identifier> identifiersOf(String workspace, String profileId) {
        return sql.query("SELECT id_type, id_value FROM profile_identifier WHERE workspace = ? AND profile_id = ?",
                rs -> new Identifier(rs.getString(1), rs.getString(2)), workspace, profileId);
    }

    @Override
    public void markErased(String workspace, String profileId) {
        sql.update("""
                UPDATE profile_state SET status = 'ERASED', traits = '{}'::jsonb, aggregates = '{}'::jsonb,
                       snapshot_version = 9223372036854775807, updated_at = now()
                WHERE workspace = ? AND profile_id = ?""", workspace, profileId);
    }

    @Override
    public void forget(String workspace, String profileId) {
        for (String table : List.of("profile_event", "profile_identifier", "membership", "membership_history",
                "membership_timer")) {
            sql.update("DELETE FROM " + table + " WHERE workspace = ? AND profile_id = ?", workspace, profileId);
        }
    }
}
