package io.satsuma.activation.adapter.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.satsuma.activation.domain.AudienceMember;
import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.Contact;
import io.satsuma.activation.domain.LedgerEntry;
import io.satsuma.activation.domain.Sync;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
class JdbcAudienceQueue implements AudienceQueue {
    private static final TypeReference<Map<String, Object>> REMOVAL = new TypeReference<>() {
    };
    /** A mark again: due at the earlier of both times, and a lane that holds the person keeps them (mark grows). */
    private static final String MARK_AGAIN = """
            ON CONFLICT (sync_id, profile_id) DO UPDATE SET mark = audience_dirty.mark + 1,
                due_at = LEAST(audience_dirty.due_at, EXCLUDED.due_at)""";

    /** A ledger row ({@code l}) whose person is not a reachable member of the sync's segment. */
    private static final String NOT_A_MEMBER = """
            NOT EXISTS (SELECT 1 FROM segment_member m WHERE m.workspace = ? AND m.segment_id = ?
                        AND m.profile_id = l.profile_id AND m.member AND NOT m.holdout)""";

    private final Sql sql;
    private final Json json;

    JdbcAudienceQueue(Sql sql, Json json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public long countMembers(Sync sync) {
        return sql.queryOne("SELECT count(*) FROM segment_member WHERE workspace = ? AND segment_id = ? AND member AND NOT holdout",
                rs -> rs.getLong(1), sync.workspace(), sync.segmentId()).orElse(0L);
    }

    @Override
    public long countLedgerOnly(Sync sync) {
        return sql.queryOne("SELECT count(*) FROM audience_ledger l WHERE l.sync_id = ? AND " + NOT_A_MEMBER,
                rs -> rs.getLong(1), sync.id(), sync.workspace(), sync.segmentId()).orElse(0L);
    }

    @Override
    public List<Candidate> membersAfter(Sync sync, String after, int limit) {
        // One statement reads the page, each member's contact and what the ledger holds of them. The cursor is repeated
        // on the joined tables so that their (merge-joined) index scans start at the page, not at the workspace's start.
        String from = after == null ? "" : after;
        return sql.query("""
                SELECT m.profile_id AS person, c.workspace, c.profile_id, c.version, c.status, c.identifiers, c.traits,
                       c.consent, c.push_tokens, c.updated_at, l.removal AS held_removal, l.digest AS held_digest
                FROM segment_member m
                LEFT JOIN contact c ON c.workspace = m.workspace AND c.profile_id = m.profile_id AND c.profile_id > ?
                LEFT JOIN audience_ledger l ON l.sync_id = ? AND l.profile_id = m.profile_id AND l.profile_id > ?
                WHERE m.workspace = ? AND m.segment_id = ? AND m.member AND NOT m.holdout AND m.profile_id > ?
                ORDER BY m.profile_id LIMIT ?""", rs -> candidate(rs, true), from, sync.id(), from, sync.workspace(),
                sync.segmentId(), from, limit);
    }

    @Override
    public List<Candidate> ledgerOnlyAfter(Sync sync, String after, int limit) {
        return sql.query("""
                SELECT l.profile_id AS person, c.*, l.removal AS held_removal, l.digest AS held_digest
                FROM audience_ledger l
                LEFT JOIN contact c ON c.workspace = ? AND c.profile_id = l.profile_id AND c.profile_id > ?
                WHERE l.sync_id = ? AND l.profile_id > ? AND\s""" + NOT_A_MEMBER + " ORDER BY l.profile_id LIMIT ?",
                rs -> candidate(rs, false), sync.workspace(), after == null ? "" : after, sync.id(),
                after == null ? "" : after, sync.workspace(), sync.segmentId(), limit);
    }

    private Candidate candidate(ResultSet rs, boolean reachable) throws SQLException {
        String person = rs.getString("person");
        Contact contact = rs.getString("status") == null ? null : JdbcContacts.contact(rs, json);
        String removal = rs.getString("held_removal");
        LedgerEntry held = removal == null ? null : new LedgerEntry(person, json.read(removal, REMOVAL),
                rs.getString("held_digest"));
        return new Candidate(person, contact, reachable, held);
    }

    @Override
    public void markFailed(String syncId, Collection<String> profileIds, Instant due, String error) {
        sql.update("""
                INSERT INTO audience_dirty (sync_id, profile_id, due_at, attempts, last_error)
                SELECT ?, p, ?, 1, ? FROM unnest(?::text[]) AS p
                ON CONFLICT (sync_id, profile_id) DO UPDATE SET mark = audience_dirty.mark + 1,
                    attempts = audience_dirty.attempts + 1, due_at = EXCLUDED.due_at, last_error = EXCLUDED.last_error""",
                syncId, due, error, profileIds.toArray(String[]::new));
    }

    @Override
    public void mark(Collection<String> syncIds, String profileId, Instant due) {
        sql.update("INSERT INTO audience_dirty (sync_id, profile_id, due_at) SELECT s, ?, ? FROM unnest(?::text[]) AS s "
                + MARK_AGAIN, profileId, due, syncIds.toArray(String[]::new));
    }

    @Override
    public void markWherever(String workspace, Collection<String> profileIds, Instant due) {
        sql.update("""
                INSERT INTO audience_dirty (sync_id, profile_id, due_at)
                SELECT s.id, p.profile_id, ? FROM sync s CROSS JOIN unnest(?::text[]) AS p(profile_id)
                WHERE s.workspace = ? AND s.mode = 'MIRROR'
                  AND (EXISTS (SELECT 1 FROM segment_member m WHERE m.workspace = s.workspace
                               AND m.segment_id = s.segment_id AND m.profile_id = p.profile_id AND m.member)
                       OR EXISTS (SELECT 1 FROM audience_ledger l WHERE l.sync_id = s.id AND l.profile_id = p.profile_id))
                """ + MARK_AGAIN, due, profileIds.toArray(String[]::new), workspace);
    }

    @Override
    public List<Claimed> due(String syncId, Instant now, int limit) {
        return sql.query("""
                SELECT profile_id, mark, attempts FROM audience_dirty
                WHERE sync_id = ? AND due_at <= ? ORDER BY due_at, profile_id LIMIT ?""",
                rs -> new Claimed(rs.getString(1), rs.getLong(2), rs.getInt(3)), syncId, now, limit);
    }

    @Override
    public Map<String, LedgerEntry> ledger(String syncId, Collection<String> profileIds) {
        Map<String, LedgerEntry> entries = new HashMap<>();
        sql.query("SELECT profile_id, removal, digest FROM audience_ledger WHERE sync_id = ? AND profile_id = ANY(?::text[])",
                rs -> entries.put(rs.getString(1), new LedgerEntry(rs.getString(1), json.read(rs.getString(2), REMOVAL),
                        rs.getString(3))), syncId, profileIds.toArray(String[]::new));
        return entries;
    }

    @Override
    public void record(String syncId, List<AudienceMember> added, List<String> removed, List<Claimed> done) {
        if (!removed.isEmpty()) {
            sql.update("DELETE FROM audience_ledger WHERE sync_id = ? AND profile_id = ANY(?::text[])", syncId,
                    removed.toArray(String[]::new));
        }
        if (!added.isEmpty()) {
            sql.update("""
                    INSERT INTO audience_ledger (sync_id, profile_id, removal, digest, updated_at)
                    SELECT ?, u.profile_id, u.removal, u.digest, now()
                    FROM unnest(?::text[], ?::text[], ?::text[]) AS u(profile_id, removal, digest)
                    ON CONFLICT (sync_id, profile_id) DO UPDATE SET removal = EXCLUDED.removal, digest = EXCLUDED.digest,
                        updated_at = EXCLUDED.updated_at""", syncId,
                    added.stream().map(AudienceMember::profileId).toArray(String[]::new),
                    added.stream().map(m -> json.write(m.removal())).toArray(String[]::new),
                    added.stream().map(AudienceMember::digest).toArray(String[]::new));
        }
        if (!done.isEmpty()) {
            String[] ids = done.stream().map(Claimed::profileId).toArray(String[]::new);
            Long[] marks = done.stream().map(Claimed::mark).toArray(Long[]::new);
            // Unmarked unless marked again while the lane worked: those stay, to be reconciled once more.
            sql.update("""
                    DELETE FROM audience_dirty d USING unnest(?::text[], ?::bigint[]) AS c(profile_id, mark)
                    WHERE d.sync_id = ? AND d.profile_id = c.profile_id AND d.mark = c.mark""", ids, marks, syncId);
        }
    }

    @Override
    public void retry(String syncId, List<Claimed> claims, Instant due, String error) {
        sql.update("""
                UPDATE audience_dirty SET attempts = attempts + 1, due_at = ?, last_error = ?
                WHERE sync_id = ? AND profile_id = ANY(?::text[])""", due, error, syncId, ids(claims));
    }

    @Override
    public void drop(String syncId, List<Claimed> claims) {
        record(syncId, List.of(), List.of(), claims);
    }

    @Override
    public boolean hasMoreThan(String syncId, int count) {
        return sql.queryOne("SELECT count(*) FROM (SELECT 1 FROM audience_dirty WHERE sync_id = ? LIMIT ?) marked",
                rs -> rs.getLong(1), syncId, count + 1).orElse(0L) > count;
    }

    @Override
    public long ledgerSize(String syncId) {
        return sql.queryOne("SELECT count(*) FROM audience_ledger WHERE sync_id = ?", rs -> rs.getLong(1), syncId)
                .orElse(0L);
    }

    @Override
    public Pending pending(String syncId) {
        return sql.queryOne("SELECT count(*), min(due_at) AS oldest FROM audience_dirty WHERE sync_id = ?",
                rs -> new Pending(rs.getLong(1), Sql.instant(rs, "oldest")), syncId).orElseThrow();
    }

    private static String[] ids(List<Claimed> claims) {
        return claims.stream().map(Claimed::profileId).toArray(String[]::new);
    }
}
