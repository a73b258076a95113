package io.satsuma.profile.adapter.persistence;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.Erasures;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
            sql.update("INSERT INTO suppression (workspace, id_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    workspace, hash(id), at);
        }
    }

    @Override
    public boolean unsuppress(String workspace, Identifier identifier) {
        return sql.update("DELETE FROM suppression WHERE workspace = ? AND id_hash = ?", workspace, hash(identifier)) == 1;
    }

    @Override
    public Set<Identifier> suppressedAmong(String workspace, List<Identifier> identifiers) {
        Map<String, Identifier> byHash = new HashMap<>();
        identifiers.forEach(id -> byHash.put(hash(id), id));
        return new HashSet<>(sql.query("SELECT id_hash FROM suppression WHERE workspace = ? AND id_hash = ANY (?)",
                rs -> byHash.get(rs.getString(1)), workspace, byHash.keySet().toArray(String[]::new)));
    }

    /** SHA-256 of {@code "<type>:<value>"}, hex: what the suppression list keeps instead of the identifier (V7). */
    static String hash(Identifier id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((id.type() + ":" + id.value()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
