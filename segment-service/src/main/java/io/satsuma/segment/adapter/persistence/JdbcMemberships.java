package io.satsuma.segment.adapter.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

@ApplicationScoped
class JdbcMemberships implements Memberships {
    /** A profile's memberships, past ones included (read on every evaluation: must be an index look-up). */
    static final String OF_PROFILE =
            "SELECT segment_id, member, sequence, holdout FROM membership WHERE workspace = ? AND profile_id = ?";

    private final Sql sql;
    private final MeterRegistry meters;

    JdbcMemberships(Sql sql, MeterRegistry meters) {
        this.sql = sql;
        this.meters = meters;
    }

    @Override
    public Map<String, State> of(String workspace, String profileId) {
        Map<String, State> states = new HashMap<>();
        sql.query(OF_PROFILE,
                rs -> states.put(rs.getString(1), new State(rs.getBoolean(2), rs.getLong(3), rs.getBoolean(4))),
                workspace, profileId);
        return states;
    }

    @Override
    public void enter(String workspace, String segmentId, String profileId, long sequence, boolean holdout, Instant at,
                      String cause) {
        counted("entered", 1);
        sql.update("""
                INSERT INTO membership (workspace, segment_id, profile_id, member, sequence, changed_at, holdout)
                VALUES (?, ?, ?, TRUE, ?, ?, ?)
                ON CONFLICT (workspace, segment_id, profile_id)
                DO UPDATE SET member = TRUE, sequence = EXCLUDED.sequence, changed_at = EXCLUDED.changed_at,
                              holdout = EXCLUDED.holdout""",
                workspace, segmentId, profileId, sequence, at, holdout);
        sql.update("""
                INSERT INTO membership_history (workspace, segment_id, profile_id, entered_at, enter_cause)
                VALUES (?, ?, ?, ?, ?)""", workspace, segmentId, profileId, at, cause);
    }

    @Override
    public void exit(String workspace, String segmentId, String profileId, long sequence, Instant at, String cause) {
        counted("exited", 1);
        sql.update("""
                UPDATE membership SET member = FALSE, sequence = ?, changed_at = ?
                WHERE workspace = ? AND segment_id = ? AND profile_id = ?""", sequence, at, workspace, segmentId, profileId);
        sql.update("""
                UPDATE membership_history SET exited_at = ?, exit_cause = ?
                WHERE workspace = ? AND segment_id = ? AND profile_id = ? AND exited_at IS NULL""",
                at, cause, workspace, segmentId, profileId);
    }

    @Override
    public Map<String, Map<String, State>> of(String workspace, Collection<String> segmentIds,
                                              Collection<String> profileIds) {
        Map<String, Map<String, State>> states = new HashMap<>();
        sql.query("""
                SELECT profile_id, segment_id, member, sequence, holdout FROM membership
                WHERE workspace = ? AND segment_id = ANY(?) AND profile_id = ANY(?)""",
                rs -> states.computeIfAbsent(rs.getString(1), p -> new HashMap<>())
                        .put(rs.getString(2), new State(rs.getBoolean(3), rs.getLong(4), rs.getBoolean(5))),
                workspace, segmentIds.toArray(String[]::new), profileIds.toArray(String[]::new));
        return states;
    }

    /** Counted as written: a transaction that rolls back and is retried counts its changes again. */
    private void counted(String change, int n) {
        meters.counter("satsuma.membership.changes", "change", change).increment(n);
    }

    @Override
    public void recordAll(String workspace, List<Evaluation.Transition> transitions, Instant at,
                          Function<Evaluation.Transition, String> causes) {
        List<Evaluation.Transition> entries = transitions.stream().filter(Evaluation.Transition::entered).toList();
        List<Evaluation.Transition> exits = transitions.stream().filter(t -> !t.entered()).toList();
        counted("entered", entries.size());
        counted("exited", exits.size());
        if (!entries.isEmpty()) {
            sql.update("""
                    INSERT INTO membership (workspace, segment_id, profile_id, member, sequence, changed_at, holdout)
                    SELECT ?, t.segment_id, t.profile_id, TRUE, t.sequence, ?, t.holdout
                    FROM unnest(?::text[], ?::text[], ?::bigint[], ?::boolean[]) AS t(segment_id, profile_id, sequence, holdout)
                    ON CONFLICT (workspace, segment_id, profile_id)
                    DO UPDATE SET member = TRUE, sequence = EXCLUDED.sequence, changed_at = EXCLUDED.changed_at,
                                  holdout = EXCLUDED.holdout""",
                    workspace, at, segmentIds(entries), profileIds(entries), sequences(entries),
                    entries.stream().map(Evaluation.Transition::holdout).toArray(Boolean[]::new));
            sql.update("""
                    INSERT INTO membership_history (workspace, segment_id, profile_id, entered_at, enter_cause)
                    SELECT ?, t.segment_id, t.profile_id, ?, t.cause
                    FROM unnest(?::text[], ?::text[], ?::text[]) AS t(segment_id, profile_id, cause)""",
                    workspace, at, segmentIds(entries), profileIds(entries), entries.stream().map(causes).toArray(String[]::new));
        }
        if (!exits.isEmpty()) {
            sql.update("""
                    UPDATE membership m SET member = FALSE, sequence = t.sequence, changed_at = ?
                    FROM unnest(?::text[], ?::text[], ?::bigint[]) AS t(segment_id, profile_id, sequence)
                    WHERE m.workspace = ? AND m.segment_id = t.segment_id AND m.profile_id = t.profile_id""",
                    at, segmentIds(exits), profileIds(exits), sequences(exits), workspace);
            sql.update("""
                    UPDATE membership_history h SET exited_at = ?, exit_cause = t.cause
                    FROM unnest(?::text[], ?::text[], ?::text[]) AS t(segment_id, profile_id, cause)
                    WHERE h.workspace = ? AND h.segment_id = t.segment_id AND h.profile_id = t.profile_id
                      AND h.exited_at IS NULL""",
                    at, segmentIds(exits), profileIds(exits), exits.stream().map(causes).toArray(String[]::new), workspace);
        }
    }

    private static String[] segmentIds(List<Evaluation.Transition> transitions) {
        return transitions.stream().map(t -> t.segment().id()).toArray(String[]::new);
    }

    private static String[] profileIds(List<Evaluation.Transition> transitions) {
        return transitions.stream().map(Evaluation.Transition::profileId).toArray(String[]::new);
    }

    private static Long[] sequences(List<Evaluation.Transition> transitions) {
        return transitions.stream().map(Evaluation.Transition::sequence).toArray(Long[]::new);
    }

    @Override
    public Map<String, CurrentSegments> currentAll(String workspace, Collection<String> profileIds) {
        String[] ids = profileIds.toArray(String[]::new);
        Map<String, CurrentSegments> current = new HashMap<>();
        sql.query("SELECT profile_id, membership_version FROM profile_state WHERE workspace = ? AND profile_id = ANY(?)",
                rs -> current.put(rs.getString(1), new CurrentSegments(rs.getLong(2), new ArrayList<>(), new ArrayList<>())),
                workspace, ids);
        sql.query("""
                SELECT m.profile_id, m.segment_id, m.holdout FROM membership m
                WHERE m.workspace = ? AND m.profile_id = ANY(?) AND m.member
                  AND EXISTS (SELECT 1 FROM segment s WHERE s.id = m.segment_id AND s.deleted_at IS NULL)
                ORDER BY m.profile_id, m.segment_id""",
                rs -> {
                    CurrentSegments of = current.get(rs.getString(1));
                    if (of != null) {
                        of.segmentIds().add(rs.getString(2));
                        if (rs.getBoolean(3)) {
                            of.heldOutIds().add(rs.getString(2));
                        }
                    }
                    return null;
                }, workspace, ids);
        return current;
    }

    @Override
    public CurrentSegments current(String workspace, String profileId) {
        long version = sql.queryOne("SELECT membership_version FROM profile_state WHERE workspace = ? AND profile_id = ?",
                rs -> rs.getLong(1), workspace, profileId).orElse(0L);
        List<String> segmentIds = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        sql.query("""
                SELECT m.segment_id, m.holdout FROM membership m JOIN segment s ON s.id = m.segment_id AND s.deleted_at IS NULL
                WHERE m.workspace = ? AND m.profile_id = ? AND m.member ORDER BY m.segment_id""",
                rs -> {
                    segmentIds.add(rs.getString(1));
                    if (rs.getBoolean(2)) {
                        heldOut.add(rs.getString(1));
                    }
                    return null;
                }, workspace, profileId);
        return new CurrentSegments(version, segmentIds, heldOut);
    }

    @Override
    public List<String> members(String workspace, String segmentId) {
        return sql.query("SELECT profile_id FROM membership WHERE workspace = ? AND segment_id = ? AND member ORDER BY profile_id",
                rs -> rs.getString(1), workspace, segmentId);
    }

    @Override
    public List<Interval> historyOf(String workspace, String profileId) {
        return sql.query("""
                SELECT * FROM membership_history WHERE workspace = ? AND profile_id = ? ORDER BY entered_at, id""",
                rs -> new Interval(rs.getString("segment_id"), rs.getString("profile_id"), Sql.instant(rs, "entered_at"),
                        Sql.instant(rs, "exited_at"), rs.getString("enter_cause"), rs.getString("exit_cause")),
                workspace, profileId);
    }

    @Override
    public List<String> membersPage(String workspace, String segmentId, Instant at, String afterProfileId, int limit) {
        if (at == null) {
            return sql.query("""
                    SELECT profile_id FROM membership WHERE workspace = ? AND segment_id = ? AND member AND profile_id > ?
                    ORDER BY profile_id LIMIT ?""", rs -> rs.getString(1), workspace, segmentId, afterProfileId, limit);
        }
        return sql.query("""
                SELECT DISTINCT profile_id FROM membership_history
                WHERE workspace = ? AND segment_id = ? AND entered_at <= ? AND (exited_at IS NULL OR exited_at > ?)
                  AND profile_id > ?
                ORDER BY profile_id LIMIT ?""", rs -> rs.getString(1), workspace, segmentId, at, at, afterProfileId, limit);
    }

    @Override
    public long size(String workspace, String segmentId) {
        return sql.queryOne("SELECT count(*) FROM membership WHERE workspace = ? AND segment_id = ? AND member",
                rs -> rs.getLong(1), workspace, segmentId).orElse(0L);
    }
}
