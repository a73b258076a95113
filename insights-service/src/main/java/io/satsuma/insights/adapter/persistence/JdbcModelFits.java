package io.satsuma.insights.adapter.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.insights.domain.ModelFit;
import io.satsuma.insights.domain.ModelFits;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.support.jdbc.JsonColumns;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
class JdbcModelFits implements ModelFits {
    private final Sql sql;
    private final ObjectMapper json;

    JdbcModelFits(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public ModelFit request(String id, String workspace, LocalDate calibrationEnd, int unitDays, Instant at) {
        // Two requests at once would read the same MAX(version): they take the workspace's next version in turn.
        sql.query("SELECT pg_advisory_xact_lock(hashtextextended('model_fit:' || ?, 0))", rs -> 1, workspace);
        sql.update("""
                INSERT INTO model_fit (id, workspace, version, status, calibration_end, unit_days, requested_at, updated_at)
                VALUES (?, ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM model_fit WHERE workspace = ?), 'PENDING', ?, ?, ?, ?)""",
                id, workspace, workspace, Date.valueOf(calibrationEnd), unitDays, at, at);
        return find(workspace, id).orElseThrow();
    }

    @Override
    public List<String> waiting(Instant staleBefore) {
        return sql.query("""
                SELECT id FROM model_fit WHERE status = 'PENDING' OR (status = 'FITTING' AND updated_at < ?)
                ORDER BY requested_at""", rs -> rs.getString(1), staleBefore);
    }

    @Override
    public Optional<ModelFit> claim(String fitId, Instant staleBefore, Instant at) {
        int claimed = sql.update("""
                UPDATE model_fit SET status = 'FITTING', updated_at = ?
                WHERE id = ? AND (status = 'PENDING' OR (status = 'FITTING' AND updated_at < ?))""", at, fitId, staleBefore);
        return claimed == 0 ? Optional.empty()
                : sql.queryOne("SELECT * FROM model_fit WHERE id = ?", this::fit, fitId);
    }

    @Override
    public void done(String fitId, long customers, BgNbd.Fit bgnbd, GammaGamma.Fit gammaGamma, long fitMillis, Instant at) {
        sql.update("""
                UPDATE model_fit SET status = 'DONE', customers = ?, bgnbd = ?::jsonb, gamma_gamma = ?::jsonb, fit_millis = ?,
                       updated_at = ?, finished_at = ?
                WHERE id = ?""", customers, JsonColumns.write(json, bgnbd(bgnbd)), JsonColumns.write(json, gammaGamma(gammaGamma)),
                fitMillis, at, at, fitId);
    }

    @Override
    public void refused(String fitId, String status, Long customers, String reason, Instant at) {
        sql.update("UPDATE model_fit SET status = ?, customers = ?, reason = ?, updated_at = ?, finished_at = ? WHERE id = ?",
                status, customers, reason, at, at, fitId);
    }

    @Override
    public Optional<ModelFit> find(String workspace, String fitId) {
        return sql.queryOne("SELECT * FROM model_fit WHERE workspace = ? AND id = ?", this::fit, workspace, fitId);
    }

    @Override
    public List<ModelFit> history(String workspace, int limit) {
        return sql.query("SELECT * FROM model_fit WHERE workspace = ? ORDER BY version DESC LIMIT ?", this::fit,
                workspace, limit);
    }

    @Override
    public Optional<ModelFit> current(String workspace) {
        return sql.queryOne("""
                SELECT * FROM model_fit WHERE workspace = ? AND status = 'DONE' ORDER BY version DESC LIMIT 1""",
                this::fit, workspace);
    }

    /** A scan of the facts' workspaces, once a day for the refit; a table of workspaces would spare it. */
    @Override
    public List<String> workspacesWithOrders() {
        return sql.query("SELECT DISTINCT workspace FROM profile_fact WHERE kind = 'ORDER'", rs -> rs.getString(1));
    }

    @Override
    public ProfileOrders ordersOf(String workspace, String profileId, Instant until) {
        ProfileOrders orders = new ProfileOrders(profileId, new ArrayList<>(), new ArrayList<>());
        sql.query("""
                SELECT at, amount FROM profile_fact WHERE workspace = ? AND profile_id = ? AND kind = 'ORDER' AND at < ?
                ORDER BY at""", rs -> {
            orders.at().add(Sql.instant(rs, "at"));
            orders.revenue().add(rs.getBigDecimal(2).doubleValue());
            return orders;
        }, workspace, profileId, until);
        return orders;
    }

    @Override
    public List<ProfileOrders> ordersOfProfiles(String workspace, Instant until, String afterProfileId, int limit) {
        List<String> profiles = sql.query("""
                SELECT DISTINCT profile_id FROM profile_fact
                WHERE workspace = ? AND kind = 'ORDER' AND at < ? AND profile_id > ?
                ORDER BY profile_id LIMIT ?""", rs -> rs.getString(1), workspace, until, afterProfileId, limit);
        if (profiles.isEmpty()) {
            return List.of();
        }
        Map<String, ProfileOrders> byProfile = new LinkedHashMap<>();
        profiles.forEach(p -> byProfile.put(p, new ProfileOrders(p, new ArrayList<>(), new ArrayList<>())));
        sql.query("""
                SELECT profile_id, at, amount FROM profile_fact
                WHERE workspace = ? AND kind = 'ORDER' AND at < ? AND profile_id BETWEEN ? AND ?
                ORDER BY profile_id, at""", rs -> {
            ProfileOrders orders = byProfile.get(rs.getString(1));
            orders.at().add(Sql.instant(rs, "at"));
            orders.revenue().add(rs.getBigDecimal(3).doubleValue());
            return orders;
        }, workspace, until, profiles.get(0), profiles.get(profiles.size() - 1));
        return new ArrayList<>(byProfile.values());
    }

    private static Map<String, Object> bgnbd(BgNbd.Fit fit) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("r", fit.model().r());
        values.put("alpha", fit.model().alpha());
        values.put("a", fit.model().a());
        values.put("b", fit.model().b());
        values.put("logLikelihood", fit.logLikelihood());
        values.put("customers", fit.customers());
        values.put("evaluations", fit.evaluations());
        return values;
    }

    private static Map<String, Object> gammaGamma(GammaGamma.Fit fit) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("p", fit.model().p());
        values.put("q", fit.model().q());
        values.put("gamma", fit.model().gamma());
        values.put("logLikelihood", fit.logLikelihood());
        values.put("customers", fit.customers());
        values.put("evaluations", fit.evaluations());
        return values;
    }

    private ModelFit fit(ResultSet rs) throws SQLException {
        JsonNode bg = rs.getString("bgnbd") == null ? null : JsonColumns.tree(json, rs.getString("bgnbd"));
        JsonNode gg = rs.getString("gamma_gamma") == null ? null : JsonColumns.tree(json, rs.getString("gamma_gamma"));
        long customers = rs.getLong("customers");
        boolean noCustomers = rs.wasNull();
        long millis = rs.getLong("fit_millis");
        boolean noMillis = rs.wasNull();
        return new ModelFit(rs.getString("id"), rs.getString("workspace"), rs.getLong("version"), rs.getString("status"),
                rs.getDate("calibration_end").toLocalDate(), rs.getInt("unit_days"), noCustomers ? null : customers,
                bg == null ? null : new BgNbd.Fit(new BgNbd(bg.path("r").asDouble(), bg.path("alpha").asDouble(),
                        bg.path("a").asDouble(), bg.path("b").asDouble()), bg.path("logLikelihood").asDouble(),
                        bg.path("customers").asInt(), bg.path("evaluations").asInt()),
                gg == null ? null : new GammaGamma.Fit(new GammaGamma(gg.path("p").asDouble(), gg.path("q").asDouble(),
                        gg.path("gamma").asDouble()), gg.path("logLikelihood").asDouble(), gg.path("customers").asInt(),
                        gg.path("evaluations").asInt()),
                rs.getString("reason"), noMillis ? null : millis, Sql.instant(rs, "requested_at"),
                Sql.instant(rs, "finished_at"));
    }
}
