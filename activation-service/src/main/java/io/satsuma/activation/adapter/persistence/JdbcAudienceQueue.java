package io.satsuma.activation.adapter.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.satsuma.activation.domain.AudienceMember;
import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.LedgerEntry;
import io.satsuma.activation.domain.Sync;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final Sql sql;
    private final Json json;

    JdbcAudienceQueue(Sql sql, Json json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public long markSegment(Sync sync, Instant due) {
        return sql.update("""
                INSERT INTO audience_dirty (sync_id, profile_id, due_at)
                SELECT ?, profile_id, ? FROM segment_member
                WHERE workspace = ? AND segment_id = ? AND member AND NOT holdout
                """ + MARK_AGAIN, sync.id(), due, sync.workspace(), sync.segmentId());
    }

    @Override
    public long markSegmentAndLedger(Sync sync, Instant due) {
        return sql.update("""
                INSERT INTO audience_dirty (sync_id, profile_id, due_at)
                SELECT ?, profile_id, ? FROM (
                    SELECT profile_id FROM segment_member
                    WHERE workspace = ? AND segment_id = ? AND member AND NOT holdout
                    UNION
                    SELECT profile_id FROM audience_ledger WHERE sync_id = ?) people
                """ + MARK_AGAIN, sync.id(), due, sync.workspace(), sync.segmentId(), sync.id());
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
    public List<Claimed> claim(String syncId, Instant now, int limit, Instant leaseUntil) {
        return sql.query("""
                UPDATE audience_dirty d SET leased_until = ?
                FROM (SELECT profile_id FROM audience_dirty
                      WHERE sync_id = ? AND due_at <= ? AND (leased_until IS NULL OR leased_until < ?)
                      ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED) c
                WHERE d.sync_id = ? AND d.profile_id = c.profile_id
                RETURNING d.profile_id, d.mark, d.attempts""",
                rs -> new Claimed(rs.getString(1), rs.getLong(2), rs.getInt(3)),
                leaseUntil, syncId, now, now, limit, syncId);
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
                    SELECT ?, u.profile_id, u.removal::jsonb, u.digest, now()
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
            // Unmarked unless marked again while the lane worked; those are released to be reconciled once more.
            sql.update("""
                    DELETE FROM audience_dirty d USING unnest(?::text[], ?::bigint[]) AS c(profile_id, mark)
                    WHERE d.sync_id = ? AND d.profile_id = c.profile_id AND d.mark = c.mark""", ids, marks, syncId);
            sql.update("""
                    UPDATE audience_dirty SET leased_until = NULL, attempts = 0, last_error = NULL
                    WHERE sync_id = ? AND profile_id = ANY(?::text[])""", syncId, ids);
        }
    }

    @Override
    public void retry(String syncId, List<Claimed> claims, Instant due, String error) {
        sql.update("""
                UPDATE audience_dirty SET leased_until = NULL, attempts = attempts + 1, due_at = ?, last_error = ?
                WHERE sync_id = ? AND profile_id = ANY(?::text[])""", due, error, syncId, ids(claims));
    }

    @Override
    public void drop(String syncId, List<Claimed> claims) {
        record(syncId, List.of(), List.of(), claims);
    }

    @Override
    public void release(String syncId, List<Claimed> claims) {
        sql.update("UPDATE audience_dirty SET leased_until = NULL WHERE sync_id = ? AND profile_id = ANY(?::text[])",
                syncId, ids(claims));
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
