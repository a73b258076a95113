package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.profile.domain.IdentityRuleStore;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
class JdbcIdentityRuleStore implements IdentityRuleStore {
    private final Sql sql;
    private final ObjectMapper json;

    JdbcIdentityRuleStore(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public Optional<IdentityRules> find(String workspace) {
        return sql.queryOne("SELECT rules FROM identity_rules WHERE workspace = ?", rs -> read(rs.getString(1)), workspace);
    }

    @Override
    public void save(String workspace, IdentityRules rules, Instant at) {
        sql.update("""
                INSERT INTO identity_rules (workspace, rules, updated_at) VALUES (?, ?::jsonb, ?)
                ON CONFLICT (workspace) DO UPDATE SET rules = EXCLUDED.rules, updated_at = EXCLUDED.updated_at""",
                workspace, JsonColumns.write(json, rules), at);
    }

    private IdentityRules read(String text) {
        try {
            return json.readValue(text, IdentityRules.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored identity rules are unreadable", e);
        }
    }
}
