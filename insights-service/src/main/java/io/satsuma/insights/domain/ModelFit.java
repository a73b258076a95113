package io.satsuma.insights.domain;

import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One fit of a workspace's predictive models (ADR 016), versioned per workspace: over the orders up to and
 * including {@code calibrationEnd}, in units of {@code unitDays} days. {@code bgnbd} and {@code gammaGamma} are set
 * once it is DONE; {@code reason} says why it was REFUSED or FAILED.
 */
public record ModelFit(String id, String workspace, long version, String status, LocalDate calibrationEnd, int unitDays,
                       Long customers, BgNbd.Fit bgnbd, GammaGamma.Fit gammaGamma, String reason, Long fitMillis,
                       Instant requestedAt, Instant finishedAt) {

    public static final String PENDING = "PENDING";
    public static final String FITTING = "FITTING";
    public static final String DONE = "DONE";
    public static final String REFUSED = "REFUSED";
    public static final String FAILED = "FAILED";

    /** Weeks, as the papers count. */
    public static final int WEEKS = 7;
}
