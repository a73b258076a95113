package io.satsuma.profile.adapter.persistence;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.Erasures;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

@ApplicationScoped
class JdbcErasures implements Erasures {
    private final Sql sql;

    JdbcErasures(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void erase(String workspace, List<String> ids) {
        String[] all = ids.toArray(String[]::new);
        sql.update("DELETE FROM event WHERE workspace = ? AND profile_id = ANY (?)", workspace, all);
        sql.update("DELETE FROM identity WHERE workspace = ? AND profile_id = ANY (?)", workspace, all);
        sql.update("DELETE FROM merge_journal WHERE workspace = ? AND (survivor_id = ANY (?) OR absorbed_id = ANY (?))",
                workspace, all, all);
        sql.update("DELETE FROM profile_day WHERE workspace = ? AND profile_id = ANY (?)", workspace, all);
        sql.update("DELETE FROM separation WHERE workspace = ? AND (profile_id = ANY (?) OR other_id = ANY (?))",
                workspace, all, all);
        sql.update("DELETE FROM profile WHERE workspace = ? AND id = ANY (?)", workspace, all);
    }

    @Override
    public void suppress(String workspace, List<Identifier> identifiers, Instant at) {
        for (Identifier id : identifiers) {
            sql.update("""
                    INSERT INTO suppression (workspace, id_type, id_value, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""", workspace, id.type(), id.value(), at);
        }
    }

    @Override
    public boolean unsuppress(String workspace, Identifier identifier) {
        return sql.update("DELETE FROM suppression WHERE workspace = ? AND id_type = ? AND id_value = ?",
                workspace, identifier.type(), identifier.value()) == 1;
    }

    @Override
    public Set<Identifier> suppressedAmong(String workspace, List<Identifier> identifiers) {
        return new HashSet<>(sql.query("""
                SELECT id_type, id_value FROM suppression
                WHERE workspace = ? AND (id_type, id_value) IN (SELECT * FROM unnest(?::text[], ?::text[]))""",
                rs -> new Identifier(rs.getString(1), rs.getString(2)), workspace,
                identifiers.stream().map(Identifier::type).toArray(String[]::new),
                identifiers.stream().map(Identifier::value).toArray(String[]::new)));
    }
}
