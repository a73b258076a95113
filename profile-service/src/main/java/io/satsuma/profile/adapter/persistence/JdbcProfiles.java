package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.ResolutionReplay;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Profiles} on PostgreSQL: the {@code profile} table; merging and unmerging also move rows of
 * {@code identity}, {@code event}, {@code profile_day} and {@code separation}, in the caller's transaction.
 */
@ApplicationScoped
class JdbcProfiles implements Profiles {
    private final Sql sql;
    private final ObjectMapper json;

    JdbcProfiles(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public Set<String> lockProfiles(String workspace, Collection<String> profileIds) {
        if (profileIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(sql.query("""
                SELECT id, status FROM profile WHERE workspace = ? AND id = ANY(?) ORDER BY id FOR UPDATE""",
                rs -> ProfileState.ACTIVE.equals(rs.getString(2)) ? rs.getString(1) : null, workspace,
                profileIds.stream().sorted().toArray(String[]::new)).stream().filter(Objects::nonNull).toList());
    }

    @Override
    public Optional<ProfileState> find(String workspace, String profileId) {
        return sql.queryOne("SELECT * FROM profile WHERE workspace = ? AND id = ?", this::profile, workspace, profileId);
    }

    @Override
    public Map<String, ProfileState> findAll(String workspace, Collection<String> profileIds) {
        Map<String, ProfileState> found = new HashMap<>();
        sql.query("SELECT * FROM profile WHERE workspace = ? AND id = ANY(?)", this::profile, workspace,
                profileIds.toArray(String[]::new)).forEach(p -> found.put(p.id(), p));
        return found;
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
    public void createAll(String workspace, List<ProfileState> states, Map<String, List<Identifier>> identifiersById,
                          Instant at) {
        if (states.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO profile (id, workspace, version, status, merged_into, traits, aggregates, created_at, updated_at)
                SELECT id, ?, version, status, merged_into, traits::jsonb, aggregates::jsonb, created_at, updated_at
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                            ?::timestamptz[])
                     AS p(id, version, status, merged_into, traits, aggregates, created_at, updated_at)""", workspace,
                states.stream().map(ProfileState::id).toArray(String[]::new),
                states.stream().map(ProfileState::version).toArray(Long[]::new),
                states.stream().map(ProfileState::status).toArray(String[]::new),
                states.stream().map(ProfileState::mergedInto).toArray(String[]::new),
                states.stream().map(this::traits).toArray(String[]::new),
                states.stream().map(p -> JsonColumns.write(json, p.aggregates())).toArray(String[]::new),
                states.stream().map(p -> p.createdAt().toString()).toArray(String[]::new),
                states.stream().map(p -> p.updatedAt().toString()).toArray(String[]::new));
        List<String> owners = new ArrayList<>();
        List<Identifier> identifiers = new ArrayList<>();
        states.forEach(profile -> identifiersById.getOrDefault(profile.id(), List.of()).forEach(id -> {
            owners.add(profile.id());
            identifiers.add(id);
        }));
        if (identifiers.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO identity (workspace, id_type, id_value, profile_id, origin_profile_id, created_at)
                SELECT ?, id_type, id_value, profile_id, profile_id, ? FROM unnest(?::text[], ?::text[], ?::text[])
                     AS i(id_type, id_value, profile_id)""", workspace, at,
                identifiers.stream().map(Identifier::type).toArray(String[]::new),
                identifiers.stream().map(Identifier::value).toArray(String[]::new), owners.toArray(String[]::new));
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
    public void saveAll(String workspace, Collection<ProfileState> states) {
        if (states.isEmpty()) {
            return;
        }
        List<ProfileState> list = List.copyOf(states);
        sql.update("""
                UPDATE profile p SET version = s.version, status = s.status, merged_into = s.merged_into,
                       traits = s.traits::jsonb, aggregates = s.aggregates::jsonb, updated_at = s.updated_at
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                     AS s(id, version, status, merged_into, traits, aggregates, updated_at)
                WHERE p.workspace = ? AND p.id = s.id""",
                list.stream().map(ProfileState::id).toArray(String[]::new),
                list.stream().map(ProfileState::version).toArray(Long[]::new),
                list.stream().map(ProfileState::status).toArray(String[]::new),
                list.stream().map(ProfileState::mergedInto).toArray(String[]::new),
                list.stream().map(this::traits).toArray(String[]::new),
                list.stream().map(p -> JsonColumns.write(json, p.aggregates())).toArray(String[]::new),
                list.stream().map(p -> p.updatedAt().toString()).toArray(String[]::new), workspace);
    }

    @Override
    public void absorb(String workspace, String survivorId, String absorbedId, Instant at) {
        // The survivor's own traits win over the absorbed profile's.
        sql.update("""
                UPDATE profile s SET traits = a.traits || s.traits
                FROM profile a WHERE s.id = ? AND a.id = ? AND s.workspace = ? AND a.workspace = s.workspace""",
                survivorId, absorbedId, workspace);
        sql.update("""
                UPDATE profile SET status = 'MERGED', merged_into = ?, version = version + 1, updated_at = ?
                WHERE workspace = ? AND id = ?""", survivorId, at, workspace, absorbedId);
        absorbAll(workspace, Map.of(absorbedId, survivorId),
                List.of(new ResolutionReplay.Inheritance(survivorId, List.of(absorbedId))), at);
    }

    @Override
    public void absorbAll(String workspace, Map<String, String> holderOf, List<ResolutionReplay.Inheritance> separations,
                          Instant at) {
        if (holderOf.isEmpty()) {
            return;
        }
        String[] absorbed = holderOf.keySet().toArray(String[]::new);
        String[] holders = holderOf.values().toArray(String[]::new);
        String moves = "unnest(?::text[], ?::text[]) AS m(absorbed, holder)";
        sql.update("UPDATE identity i SET profile_id = m.holder FROM " + moves
                + " WHERE i.workspace = ? AND i.profile_id = m.absorbed", absorbed, holders, workspace);
        sql.update("UPDATE event e SET profile_id = m.holder FROM " + moves
                + " WHERE e.workspace = ? AND e.profile_id = m.absorbed", absorbed, holders, workspace);
        // Summed per (holder, day, event) first: ON CONFLICT may not meet the same key twice in a statement.
        sql.update("""
                INSERT INTO profile_day (workspace, profile_id, day, event, count, sum)
                SELECT d.workspace, m.holder, d.day, d.event, sum(d.count), sum(d.sum)
                FROM profile_day d JOIN unnest(?::text[], ?::text[]) AS m(absorbed, holder) ON d.profile_id = m.absorbed
                WHERE d.workspace = ?
                GROUP BY d.workspace, m.holder, d.day, d.event
                ON CONFLICT (profile_id, day, event)
                DO UPDATE SET count = profile_day.count + EXCLUDED.count, sum = profile_day.sum + EXCLUDED.sum""",
                absorbed, holders, workspace);
        sql.update("DELETE FROM profile_day WHERE workspace = ? AND profile_id = ANY(?)", workspace, absorbed);
        List<String> survivors = new ArrayList<>();
        List<String> from = new ArrayList<>();
        separations.forEach(s -> s.fromProfiles().forEach(p -> {
            survivors.add(s.survivorId());
            from.add(p);
        }));
        sql.update("""
                INSERT INTO separation (workspace, profile_id, other_id, at)
                SELECT s.workspace, m.survivor, s.other_id, s.at
                FROM separation s JOIN unnest(?::text[], ?::text[]) AS m(survivor, absorbed) ON s.profile_id = m.absorbed
                WHERE s.workspace = ?
                UNION ALL
                SELECT s.workspace, s.other_id, m.survivor, s.at
                FROM separation s JOIN unnest(?::text[], ?::text[]) AS m(survivor, absorbed) ON s.profile_id = m.absorbed
                WHERE s.workspace = ?
                ON CONFLICT DO NOTHING""", survivors.toArray(String[]::new), from.toArray(String[]::new), workspace,
                survivors.toArray(String[]::new), from.toArray(String[]::new), workspace);
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

    private ProfileState profile(ResultSet rs) throws SQLException {
        return new ProfileState(rs.getString("id"), rs.getLong("version"), rs.getString("status"),
                rs.getString("merged_into"), JsonColumns.map(json, rs.getString("traits")),
                aggregates(rs.getString("aggregates")),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private ProfileAggregates aggregates(String column) {
        try {
            return column == null ? Aggregates.empty() : json.readValue(column, ProfileAggregates.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable aggregates column", e);
        }
    }

    private String traits(ProfileState p) {
        return JsonColumns.write(json, p.traits() == null ? Map.of() : p.traits());
    }
}
