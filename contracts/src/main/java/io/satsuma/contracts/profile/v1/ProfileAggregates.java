package io.satsuma.contracts.profile.v1;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Behavioural aggregates of a profile, folded from all its events.
 *
 * @param totalRevenue sum of {@code revenue} (else {@code total}) of {@code Order Completed} events
 */
public record ProfileAggregates(
        long eventCount,
        long orderCount,
        BigDecimal totalRevenue,
        Instant firstSeenAt,
        Instant lastSeenAt,
        Instant lastOrderAt) {
}
