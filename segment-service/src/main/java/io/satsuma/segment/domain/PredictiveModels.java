package io.satsuma.segment.domain;

import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A workspace's current predictive models as insights-service fitted and published them (ADR 016): BG/NBD for
 * purchase frequency and dropout, Gamma-Gamma for spend per purchase, with time counted in units of
 * {@code unitDays} days (7: weeks, as the papers do).
 */
public record PredictiveModels(long version, BgNbd purchases, GammaGamma spend, int unitDays, LocalDate calibrationEnd,
                               Instant fittedAt) {
    public PredictiveModels {
        if (unitDays <= 0) {
            throw new IllegalArgumentException("unitDays must be positive");
        }
    }
}
