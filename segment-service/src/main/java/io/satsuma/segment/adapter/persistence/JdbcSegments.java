package io.satsuma.segment.adapter.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.segment.domain.ConditionParser;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.ExclusionGroups;
import io.satsuma.segment.domain.SegmentGraph;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class JdbcSegments implements Segments {
    private final Sql sql;
    private final ObjectMapper json;

    JdbcSegments(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    static String catalogLockKey(String workspace) {
        return "segment-catalog:" + workspace;
    }

    @Override
    public void lockForChange(String workspace) {
        sql.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> 1, catalogLockKey(workspace));
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

    /** Live segments, references linked, dependencies before the segments that use them. */
    @Override
    public List<Segment> list(String workspace) {
        return SegmentGraph.link(ExclusionGroups.apply(sql.query(
                "SELECT * FROM segment WHERE workspace = ? AND deleted_at IS NULL ORDER BY created_at, id",
                this::segment, workspace)));
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
                        percent(rs.getBigDecimal("holdout_percent")), rs.getString("exclusion_group"),
                        (Integer) rs.getObject("group_priority"), Sql.instant(rs, "created_at")),
                workspace, segmentId);
    }

    private Segment segment(ResultSet rs) throws SQLException {
        JsonNode condition = JsonColumns.tree(json, rs.getString("condition"));
        return new Segment(rs.getString("id"), rs.getString("workspace"), rs.getString("name"),
                rs.getString("description"), condition, ConditionParser.parse(condition).condition(),
                percent(rs.getBigDecimal("holdout_percent")), rs.getString("exclusion_group"),
                (Integer) rs.getObject("group_priority"), rs.getLong("version"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }

    private static java.math.BigDecimal percent(java.math.BigDecimal value) {
        java.math.BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
