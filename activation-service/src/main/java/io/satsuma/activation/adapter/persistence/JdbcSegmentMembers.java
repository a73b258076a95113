package io.satsuma.activation.adapter.persistence;

import io.satsuma.activation.domain.SegmentMembers;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

@ApplicationScoped
class JdbcSegmentMembers implements SegmentMembers {
    private final Sql sql;

    JdbcSegmentMembers(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean apply(String workspace, String segmentId, String profileId, boolean member, boolean holdout,
                         long sequence) {
        return sql.update("""
                INSERT INTO segment_member (workspace, segment_id, profile_id, member, holdout, sequence)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace, segment_id, profile_id) DO UPDATE SET member = EXCLUDED.member,
                    holdout = EXCLUDED.holdout, sequence = EXCLUDED.sequence
                WHERE segment_member.sequence < EXCLUDED.sequence""",
                workspace, segmentId, profileId, member, holdout, sequence) == 1;
    }

    @Override
    public Map<String, Boolean> reachable(String workspace, String segmentId, Collection<String> profileIds) {
        Map<String, Boolean> reachable = new HashMap<>();
        sql.query("""
                SELECT profile_id, member AND NOT holdout FROM segment_member
                WHERE workspace = ? AND segment_id = ? AND profile_id = ANY(?::text[])""",
                rs -> reachable.put(rs.getString(1), rs.getBoolean(2)), workspace, segmentId,
                profileIds.toArray(String[]::new));
        return reachable;
    }

    @Override
    public void forget(String workspace, String profileId) {
        // The rows stay (not members), keeping their sequence: a late, older change cannot bring the person back.
        sql.update("UPDATE segment_member SET member = false, holdout = false WHERE workspace = ? AND profile_id = ?",
                workspace, profileId);
    }
}
