package io.satsuma.activation.adapter.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.Destinations;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
class JdbcDestinations implements Destinations {
    private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() {
    };

    private final Sql sql;
    private final Json json;

    JdbcDestinations(Sql sql, Json json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public void add(Destination d, String secretsCiphertext) {
        sql.update("""
                INSERT INTO destination (id, workspace, name, type, config, secret_ciphertext, created_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)""", d.id(), d.workspace(), d.name(), d.type().id(),
                json.write(d.config()), secretsCiphertext, d.createdAt());
    }

    @Override
    public Optional<Destination> find(String workspace, String destinationId) {
        return sql.queryOne("SELECT * FROM destination WHERE workspace = ? AND id = ?", this::destination, workspace,
                destinationId);
    }

    @Override
    public Optional<Destination> byId(String destinationId) {
        return sql.queryOne("SELECT * FROM destination WHERE id = ?", this::destination, destinationId);
    }

    @Override
    public List<Destination> list(String workspace) {
        return sql.query("SELECT * FROM destination WHERE workspace = ? ORDER BY created_at", this::destination, workspace);
    }

    @Override
    public String secretsCiphertext(String destinationId) {
        return sql.queryOne("SELECT secret_ciphertext FROM destination WHERE id = ?", rs -> rs.getString(1), destinationId)
                .orElseThrow();
    }

    @Override
    public void replaceSecrets(String destinationId, String secretsCiphertext) {
        sql.update("UPDATE destination SET secret_ciphertext = ? WHERE id = ?", secretsCiphertext, destinationId);
    }

    private Destination destination(ResultSet rs) throws SQLException {
        return new Destination(rs.getString("id"), rs.getString("workspace"), rs.getString("name"),
                DestinationType.of(rs.getString("type")).orElseThrow(), json.read(rs.getString("config"), CONFIG),
                Sql.instant(rs, "created_at"));
    }
}
