package io.satsuma.segment.adapter.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.segment.domain.JourneyJob;
import io.satsuma.segment.domain.JourneyJobs;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class JdbcJourneyJobs implements JourneyJobs {
    private static final TypeReference<List<JourneyJob.Stage>> STAGES = new TypeReference<>() {
    };
    private static final TypeReference<List<Instant>> INSTANTS = new TypeReference<>() {
    };

    private final Sql sql;
    private final ObjectMapper json;

    JdbcJourneyJobs(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public void add(JourneyJob j) {
        sql.update("""
                INSERT INTO journey_job (id, workspace, stages, boundaries, status, total, counts, started_at, updated_at)
                VALUES (?, ?, ?::jsonb, ?::jsonb, ?, ?, ?::jsonb, ?, ?)""",
                j.id(), j.workspace(), JsonColumns.write(json, j.stages()), JsonColumns.write(json, j.boundaries()),
                j.status(), j.total(), JsonColumns.write(json, j.counts()), j.startedAt(), j.updatedAt());
    }

    @Override
    public List<String> running() {
        return sql.query("SELECT id FROM journey_job WHERE status = 'RUNNING' ORDER BY started_at", rs -> rs.getString(1));
    }

    @Override
    public Optional<JourneyJob> lockRunning(String jobId) {
        return sql.queryOne("SELECT * FROM journey_job WHERE id = ? AND status = 'RUNNING' FOR UPDATE SKIP LOCKED",
                this::job, jobId);
    }

    @Override
    public void advance(String jobId, String cursor, long pageSize, long[][][] counts, Instant at) {
        sql.update("UPDATE journey_job SET cursor = ?, done = done + ?, counts = ?::jsonb, updated_at = ? WHERE id = ?",
                cursor, pageSize, JsonColumns.write(json, counts), at, jobId);
    }

    @Override
    public void finish(String jobId, String status, String error, Instant at) {
        sql.update("UPDATE journey_job SET status = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?",
                status, error, at, at, jobId);
    }

    @Override
    public Optional<JourneyJob> find(String workspace, String jobId) {
        return sql.queryOne("SELECT * FROM journey_job WHERE workspace = ? AND id = ?", this::job, workspace, jobId);
    }

    private JourneyJob job(ResultSet rs) throws SQLException {
        return new JourneyJob(rs.getString("id"), rs.getString("workspace"),
                JsonColumns.read(json, rs.getString("stages"), STAGES),
                JsonColumns.read(json, rs.getString("boundaries"), INSTANTS), rs.getString("status"), rs.getLong("total"),
                rs.getLong("done"), rs.getString("cursor"), JsonColumns.read(json, rs.getString("counts"), long[][][].class),
                rs.getString("error"), Sql.instant(rs, "started_at"), Sql.instant(rs, "updated_at"),
                Sql.instant(rs, "finished_at"));
    }
}
