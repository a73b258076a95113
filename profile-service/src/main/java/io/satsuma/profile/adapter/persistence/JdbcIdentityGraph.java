package io.satsuma.profile.adapter.persistence;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.KnownProfile;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link IdentityGraph} on PostgreSQL: the {@code identity} and {@code separation} tables. */
@ApplicationScoped
class JdbcIdentityGraph implements IdentityGraph {
    private final Sql sql;

    JdbcIdentityGraph(Sql sql) {
        this.sql = sql;
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
    public void attach(String workspace, String profileId, List<Identifier> identifiers, String origin, Instant at) {
        for (Identifier id : identifiers) {
            sql.update("""
                    INSERT INTO identity (workspace, id_type, id_value, profile_id, origin_profile_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)""", workspace, id.type(), id.value(), profileId, origin, at);
        }
    }

    @Override
    public void attachAll(String workspace, Map<Identifier, Ownership> identifiers, Instant at) {
        if (identifiers.isEmpty()) {
            return;
        }
        List<Identifier> ids = List.copyOf(identifiers.keySet());
        sql.update("""
                INSERT INTO identity (workspace, id_type, id_value, profile_id, origin_profile_id, created_at)
                SELECT ?, id_type, id_value, profile_id, origin, ?
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS i(id_type, id_value, profile_id, origin)""",
                workspace, at, ids.stream().map(Identifier::type).toArray(String[]::new),
                ids.stream().map(Identifier::value).toArray(String[]::new),
                ids.stream().map(id -> identifiers.get(id).profileId()).toArray(String[]::new),
                ids.stream().map(id -> identifiers.get(id).origin()).toArray(String[]::new));
    }

    @Override
    public void detach(String workspace, String profileId, Identifier identifier) {
        sql.update("DELETE FROM identity WHERE workspace = ? AND id_type = ? AND id_value = ? AND profile_id = ?",
                workspace, identifier.type(), identifier.value(), profileId);
    }

    @Override
    public void keepApart(String workspace, String profileId, String otherId, Instant at) {
        sql.update("""
                INSERT INTO separation (workspace, profile_id, other_id, at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", workspace, profileId, otherId, at, workspace, otherId, profileId, at);
    }

    @Override
    public List<Identifier> identifiersOf(String workspace, String profileId) {
        return sql.query("""
                SELECT id_type, id_value FROM identity WHERE workspace = ? AND profile_id = ?
                ORDER BY id_type, created_at, id_value""",
                rs -> new Identifier(rs.getString(1), rs.getString(2)), workspace, profileId);
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
}
