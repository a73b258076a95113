package io.satsuma.segment.adapter.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.segment.domain.ConditionParser;
import io.satsuma.segment.domain.ExclusionGroups;
import io.satsuma.segment.domain.PredictiveModelStore;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentGraph;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

@ApplicationScoped
class JdbcSegments implements Segments {
    private static final String CHANGING = "satsuma.segments.changing:";
    private static final int MAX_CACHED_WORKSPACES = 10_000;

    private final Sql sql;
    private final PredictiveModelStore models;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    JdbcSegments(Sql sql, ObjectMapper json, TransactionSynchronizationRegistry transactions, PredictiveModelStore models) {
        this.sql = sql;
        this.models = models;
        this.json = json;
        this.transactions = transactions;
    }

    static String catalogLockKey(String workspace) {
        return "segment-catalog:" + workspace;
    }

    @Override
    public void lockForChange(String workspace) {
        sql.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> 1, catalogLockKey(workspace));
        sql.update("""
                INSERT INTO segment_catalog (workspace, version) VALUES (?, nextval('segment_catalog_version'))
                ON CONFLICT (workspace) DO UPDATE SET version = EXCLUDED.version""", workspace);
        transactions.putResource(CHANGING + workspace, Boolean.TRUE);
    }

    @Override
    public void add(Segment s) {
        sql.update("""
                INSERT INTO segment (id, workspace, name, description, condition, holdout_percent, exclusion_group,
                                     group_priority, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""",
                s.id(), s.workspace(), s.name(), s.description(), s.conditionJson().toString(), s.holdoutPercent(),
                s.exclusionGroup(), s.groupPriority(), s.version(), s.createdAt(), s.updatedAt());
        addVersion(s);
    }

    @Override
    public void update(Segment s) {
        sql.update("""
                UPDATE segment SET name = ?, description = ?, condition = ?::jsonb, holdout_percent = ?,
                       exclusion_group = ?, group_priority = ?, version = ?, updated_at = ?
                WHERE workspace = ? AND id = ?""",
                s.name(), s.description(), s.conditionJson().toString(), s.holdoutPercent(), s.exclusionGroup(),
                s.groupPriority(), s.version(), s.updatedAt(), s.workspace(), s.id());
        addVersion(s);
    }

    private void addVersion(Segment s) {
        sql.update("""
                INSERT INTO segment_version (segment_id, version, name, condition, holdout_percent, exclusion_group,
                                             group_priority, created_at)
                VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?)""",
                s.id(), s.version(), s.name(), s.conditionJson().toString(), s.holdoutPercent(), s.exclusionGroup(),
                s.groupPriority(), s.updatedAt());
    }

    @Override
    public void markDeleted(String workspace, String segmentId, Instant at) {
        sql.update("UPDATE segment SET deleted_at = ? WHERE workspace = ? AND id = ?", at, workspace, segmentId);
    }

    @Override
    public Optional<Segment> find(String workspace, String segmentId) {
        return list(workspace).stream().filter(s -> s.id().equals(segmentId)).findFirst();
    }

    /**
     * Live segments, references linked, dependencies before the segments that use them. Parsing and
     * linking happen once per definitions version: every other call costs one primary-key read. A
     * transaction that is changing the definitions reads them fresh and caches nothing.
     */
    @Override
    public List<Segment> list(String workspace) {
        if (changingInThisTransaction(workspace)) {
            return load(workspace);
        }
        long version = sql.queryOne("SELECT version FROM segment_catalog WHERE workspace = ?", rs -> rs.getLong(1),
                workspace).orElse(0L);
        Cached cached = cache.get(workspace);
        if (cached != null && cached.version() == version) {
            return cached.segments();
        }
        List<Segment> segments = load(workspace);
        if (cache.size() > MAX_CACHED_WORKSPACES) {
            cache.clear();
        }
        cache.put(workspace, new Cached(version, segments));
        return segments;
    }

    private List<Segment> load(String workspace) {
        // Predicted traits are bound to the workspace's current models here: a new fit bumps the catalog version.
        return List.copyOf(SegmentGraph.link(ExclusionGroups.apply(sql.query(
                "SELECT * FROM segment WHERE workspace = ? AND deleted_at IS NULL ORDER BY created_at, id",
                this::segment, workspace)), models.current(workspace).orElse(null)));
    }

    private boolean changingInThisTransaction(String workspace) {
        return transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION
                && transactions.getResource(CHANGING + workspace) != null;
    }

    private record Cached(long version, List<Segment> segments) {
    }

    @Override
    public boolean nameTaken(String workspace, String name, String exceptSegmentId) {
        return sql.queryOne("""
                SELECT 1 FROM segment WHERE workspace = ? AND lower(name) = lower(?) AND deleted_at IS NULL
                AND id <> coalesce(?, '')""", rs -> true, workspace, name, exceptSegmentId).isPresent();
    }

    @Override
    public List<Version> versions(String workspace, String segmentId) {
        return sql.query("""
                SELECT v.* FROM segment_version v JOIN segment s ON s.id = v.segment_id
                WHERE s.workspace = ? AND s.id = ? ORDER BY v.version""",
                rs -> new Version(rs.getLong("version"), rs.getString("name"), JsonColumns.tree(json, rs.getString("condition")),
                        JsonColumns.plain(rs.getBigDecimal("holdout_percent")), rs.getString("exclusion_group"),
                        (Integer) rs.getObject("group_priority"), Sql.instant(rs, "created_at")),
                workspace, segmentId);
    }

    private Segment segment(ResultSet rs) throws SQLException {
        JsonNode condition = JsonColumns.tree(json, rs.getString("condition"));
        return new Segment(rs.getString("id"), rs.getString("workspace"), rs.getString("name"),
                rs.getString("description"), condition, ConditionParser.parse(condition).condition(),
                JsonColumns.plain(rs.getBigDecimal("holdout_percent")), rs.getString("exclusion_group"),
                (Integer) rs.getObject("group_priority"), rs.getLong("version"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
