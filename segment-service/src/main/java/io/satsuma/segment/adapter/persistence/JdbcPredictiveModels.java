package io.satsuma.segment.adapter.persistence;

import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.segment.domain.PredictiveModelStore;
import io.satsuma.segment.domain.PredictiveModels;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Date;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
class JdbcPredictiveModels implements PredictiveModelStore {
    private final Sql sql;

    JdbcPredictiveModels(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean replaceIfNewer(String workspace, PredictiveModels m, int customers, Instant receivedAt) {
        BgNbd b = m.purchases();
        GammaGamma g = m.spend();
        return sql.update("""
                INSERT INTO predictive_model (workspace, version, unit_days, calibration_end, customers, r, alpha, a, b,
                                              p, q, gamma, fitted_at, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace) DO UPDATE SET version = EXCLUDED.version, unit_days = EXCLUDED.unit_days,
                    calibration_end = EXCLUDED.calibration_end, customers = EXCLUDED.customers, r = EXCLUDED.r,
                    alpha = EXCLUDED.alpha, a = EXCLUDED.a, b = EXCLUDED.b, p = EXCLUDED.p, q = EXCLUDED.q,
                    gamma = EXCLUDED.gamma, fitted_at = EXCLUDED.fitted_at, received_at = EXCLUDED.received_at
                WHERE predictive_model.version < EXCLUDED.version""",
                workspace, m.version(), m.unitDays(), Date.valueOf(m.calibrationEnd()), customers, b.r(), b.alpha(), b.a(),
                b.b(), g.p(), g.q(), g.gamma(), m.fittedAt(), receivedAt) == 1;
    }

    @Override
    public Optional<PredictiveModels> current(String workspace) {
        return sql.queryOne("SELECT * FROM predictive_model WHERE workspace = ?", rs -> new PredictiveModels(
                rs.getLong("version"), new BgNbd(rs.getDouble("r"), rs.getDouble("alpha"), rs.getDouble("a"), rs.getDouble("b")),
                new GammaGamma(rs.getDouble("p"), rs.getDouble("q"), rs.getDouble("gamma")), rs.getInt("unit_days"),
                rs.getDate("calibration_end").toLocalDate(), Sql.instant(rs, "fitted_at")), workspace);
    }
}
