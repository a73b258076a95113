package io.satsuma.contracts.model.v1;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A workspace's current predictive models ({@code satsuma.models.v1}, compacted, keyed by workspace): published by
 * insights-service when a fit is done (ADR 016), so that segment-service scores {@code $predicted.*} traits with
 * them. A consumer keeps the highest {@code version} it has seen: versions only grow.
 *
 * @param unitDays       the length of the models' time unit in days (7: weeks)
 * @param calibrationEnd the last day of orders the fit read
 * @param customers      how many customers the fit read
 */
public record ModelsFitted(String workspace, long version, int unitDays, LocalDate calibrationEnd, int customers,
                           BgNbd bgnbd, GammaGamma gammaGamma, Instant fittedAt) {

    /** BG/NBD's parameters (Fader, Hardie and Lee 2005) and the fit's log-likelihood. */
    public record BgNbd(double r, double alpha, double a, double b, double logLikelihood) {
    }

    /** Gamma-Gamma's parameters (Fader and Hardie 2013) and the fit's log-likelihood. */
    public record GammaGamma(double p, double q, double gamma, double logLikelihood) {
    }
}
