package io.satsuma.profile.adapter.persistence;

import io.satsuma.profile.domain.Source;
import io.satsuma.profile.domain.Sources;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class JdbcSources implements Sources {
    private final Sql sql;

    JdbcSources(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void add(Source source, String writeKeyHash) {
        sql.update("INSERT INTO source (id, workspace, name, write_key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                source.id(), source.workspace(), source.name(), writeKeyHash, source.createdAt());
    }

    @Override
    public List<Source> list(String workspace) {
        return sql.query("SELECT * FROM source WHERE workspace = ? ORDER BY created_at", JdbcSources::source, workspace);
    }

    @Override
    public Optional<Source> byWriteKeyHash(String writeKeyHash) {
        return sql.queryOne("SELECT * FROM source WHERE write_key_hash = ?", JdbcSources::source, writeKeyHash);
    }

    @Override
    public Optional<Source> find(String workspace, String sourceId) {
        return sql.queryOne("SELECT * FROM source WHERE workspace = ? AND id = ?", JdbcSources::source, workspace, sourceId);
    }

    @Override
    public void replaceWriteKey(String workspace, String sourceId, String writeKeyHash) {
        sql.update("UPDATE source SET write_key_hash = ? WHERE workspace = ? AND id = ?", writeKeyHash, workspace, sourceId);
    }

    @Override
    public void revoke(String workspace, String sourceId, Instant at) {
        sql.update("UPDATE source SET revoked_at = ? WHERE workspace = ? AND id = ? AND revoked_at IS NULL",
                at, workspace, sourceId);
    }

    private static Source source(ResultSet rs) throws SQLException {
        return new Source(rs.getString("id"), rs.getString("workspace"), rs.getString("name"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "revoked_at"));
    }
}
