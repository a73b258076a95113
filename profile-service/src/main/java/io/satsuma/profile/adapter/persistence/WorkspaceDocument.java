package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One JSON document per workspace in a table {@code (workspace PRIMARY KEY, <column> JSONB, updated_at)}:
 * how the identity rules and the profile settings are kept (a store is this, with its table and type).
 */
abstract class WorkspaceDocument<T> {
    private final Sql sql;
    private final ObjectMapper json;
    private final Class<T> type;
    private final String select;
    private final String upsert;

    protected WorkspaceDocument(Sql sql, ObjectMapper json, Class<T> type, String table, String column) {
        this.sql = sql;
        this.json = json;
        this.type = type;
        this.select = "SELECT " + column + " FROM " + table + " WHERE workspace = ?";
        this.upsert = "INSERT INTO " + table + " (workspace, " + column + ", updated_at) VALUES (?, ?::jsonb, ?) "
                + "ON CONFLICT (workspace) DO UPDATE SET " + column + " = EXCLUDED." + column
                + ", updated_at = EXCLUDED.updated_at";
    }

    public Optional<T> find(String workspace) {
        return sql.queryOne(select, rs -> read(rs.getString(1)), workspace);
    }

    public void save(String workspace, T document, Instant at) {
        sql.update(upsert, workspace, JsonColumns.write(json, document), at);
    }

    private T read(String text) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored " + type.getSimpleName() + " is unreadable", e);
        }
    }
}
