package io.satsuma.activation.adapter.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.satsuma.activation.domain.Contact;
import io.satsuma.activation.domain.Contacts;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
class JdbcContacts implements Contacts {
    private static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> TRAITS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Boolean>> CONSENT = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> TOKENS = new TypeReference<>() {
    };

    private final Sql sql;
    private final Json json;

    JdbcContacts(Sql sql, Json json) {
        this.sql = sql;
        this.json = json;
    }

    private record Stored(long version, String digest) {
    }

    @Override
    public List<String> apply(String workspace, List<Contact> contacts) {
        String[] ids = contacts.stream().map(Contact::profileId).toArray(String[]::new);
        Map<String, Stored> stored = new HashMap<>();
        sql.query("SELECT profile_id, version, reach_digest FROM contact WHERE workspace = ? AND profile_id = ANY(?::text[])",
                rs -> stored.put(rs.getString(1), new Stored(rs.getLong(2), rs.getString(3))), workspace, ids);
        List<Contact> newer = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Contact c : contacts) {
            Stored s = stored.get(c.profileId());
            if (s != null && s.version() >= c.version()) {
                continue;
            }
            String digest = c.reachDigest();
            newer.add(c);
            digests.add(digest);
            if (s == null || !s.digest().equals(digest)) {
                changed.add(c.profileId());
            }
        }
        if (newer.isEmpty()) {
            return changed;
        }
        sql.update("""
                INSERT INTO contact (workspace, profile_id, version, status, identifiers, traits, consent, push_tokens,
                                     reach_digest, updated_at)
                SELECT ?, u.profile_id, u.version, u.status, u.identifiers::jsonb, u.traits::jsonb, u.consent::jsonb,
                       u.push_tokens::jsonb, u.digest, u.updated_at
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::timestamptz[])
                     AS u(profile_id, version, status, identifiers, traits, consent, push_tokens, digest, updated_at)
                ON CONFLICT (workspace, profile_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status,
                    identifiers = EXCLUDED.identifiers, traits = EXCLUDED.traits, consent = EXCLUDED.consent,
                    push_tokens = EXCLUDED.push_tokens, reach_digest = EXCLUDED.reach_digest,
                    updated_at = EXCLUDED.updated_at
                WHERE contact.version < EXCLUDED.version""",
                workspace,
                newer.stream().map(Contact::profileId).toArray(String[]::new),
                newer.stream().map(Contact::version).toArray(Long[]::new),
                newer.stream().map(c -> c.status().name()).toArray(String[]::new),
                newer.stream().map(c -> json.write(c.identifiers())).toArray(String[]::new),
                newer.stream().map(c -> json.write(c.traits())).toArray(String[]::new),
                newer.stream().map(c -> json.write(c.consent())).toArray(String[]::new),
                newer.stream().map(c -> json.write(c.pushTokens())).toArray(String[]::new),
                digests.toArray(String[]::new),
                newer.stream().map(c -> c.updatedAt() == null ? null : c.updatedAt().toString()).toArray(String[]::new));
        return changed;
    }

    @Override
    public Map<String, Contact> find(String workspace, Collection<String> profileIds) {
        Map<String, Contact> found = new LinkedHashMap<>();
        sql.query("SELECT * FROM contact WHERE workspace = ? AND profile_id = ANY(?::text[])", rs -> {
            Contact c = contact(rs);
            found.put(c.profileId(), c);
            return c;
        }, workspace, profileIds.toArray(String[]::new));
        return found;
    }

    @Override
    public void erase(String workspace, String profileId, long version) {
        sql.update("""
                INSERT INTO contact (workspace, profile_id, version, status, identifiers, traits, consent, push_tokens,
                                     reach_digest, updated_at)
                VALUES (?, ?, ?, 'ERASED', '[]', '{}', '{}', '{}', 'erased', now())
                ON CONFLICT (workspace, profile_id) DO UPDATE SET version = EXCLUDED.version, status = 'ERASED',
                    identifiers = '[]', traits = '{}', consent = '{}', push_tokens = '{}', reach_digest = 'erased',
                    updated_at = now()""", workspace, profileId, version);
    }

    @Override
    public void revokeConsent(String workspace, String profileId, String channel) {
        sql.update("""
                UPDATE contact SET consent = consent || jsonb_build_object(?::text, false), reach_digest = 'revoked'
                WHERE workspace = ? AND profile_id = ?""", channel, workspace, profileId);
    }

    @Override
    public void dropPushToken(String workspace, String profileId, String token) {
        sql.update("""
                UPDATE contact SET push_tokens = push_tokens - ?::text, reach_digest = 'token-dropped'
                WHERE workspace = ? AND profile_id = ?""", token, workspace, profileId);
    }

    private Contact contact(ResultSet rs) throws SQLException {
        return contact(rs, json);
    }

    /** A contact from a row with the contact table's columns (also read joined to other tables). */
    static Contact contact(ResultSet rs, Json json) throws SQLException {
        return new Contact(rs.getString("workspace"), rs.getString("profile_id"), rs.getLong("version"),
                Contact.Status.valueOf(rs.getString("status")), json.read(rs.getString("identifiers"), IDENTIFIERS),
                json.read(rs.getString("traits"), TRAITS), json.read(rs.getString("consent"), CONSENT),
                json.read(rs.getString("push_tokens"), TOKENS), Sql.instant(rs, "updated_at"));
    }
}
