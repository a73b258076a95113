package io.satsuma.contracts.profile.v1;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Behavioural aggregates of a profile, folded from all its events (the single customer view of
 * ARCHITECTURE.md §3). Times are event times; "latest" values (location, consent) are the ones of the
 * latest event that carried them, whatever the order of arrival.
 *
 * @param visitCount           sessions: runs of events with no gap longer than 30 minutes
 * @param categoryViews        {@code Product Viewed} events per {@code category}
 * @param brandViews           {@code Product Viewed} events per {@code brand}
 * @param cartOpen             a {@code Product Added} later than the last {@code Order Completed}
 * @param totalRevenue         sum of {@code revenue} (else {@code total}, else product lines) of orders
 * @param averageOrderValue    totalRevenue / orderCount, 2 decimals; null without orders
 * @param discountedOrderCount orders with a positive {@code discount} or a {@code coupon}
 * @param discountShare        discountedOrderCount / orderCount, 4 decimals; null without orders
 * @param refundedAmount       sum of the amounts of {@code Order Refunded} events
 * @param deviceTypes          events per device type ({@code context.device.type}, else from the user agent)
 * @param consent              per channel ({@code email}, {@code sms}, {@code push}, {@code ads}) the latest decision
 * @param pushTokens           push device tokens ({@code context.device.token}) with their platform, when last seen and
 *                             when a channel last reported them dead; a token is usable while it was seen after that
 */
public record ProfileAggregates(
        long eventCount,
        Instant firstSeenAt,
        Instant lastSeenAt,
        long visitCount,
        long pageViewCount,
        long screenViewCount,
        long productViewCount,
        Map<String, Long> categoryViews,
        Map<String, Long> brandViews,
        long cartAddCount,
        Instant lastCartAddAt,
        boolean cartOpen,
        long orderCount,
        BigDecimal totalRevenue,
        BigDecimal averageOrderValue,
        Instant firstOrderAt,
        Instant lastOrderAt,
        long discountedOrderCount,
        BigDecimal discountShare,
        long refundCount,
        BigDecimal refundedAmount,
        long emailOpenCount,
        long emailClickCount,
        Map<String, Long> deviceTypes,
        Location location,
        Map<String, Consent> consent,
        Map<String, PushToken> pushTokens) {

    public ProfileAggregates {
        categoryViews = categoryViews == null ? Map.of() : categoryViews;
        brandViews = brandViews == null ? Map.of() : brandViews;
        deviceTypes = deviceTypes == null ? Map.of() : deviceTypes;
        consent = consent == null ? Map.of() : consent;
        pushTokens = pushTokens == null ? Map.of() : pushTokens;
        totalRevenue = totalRevenue == null ? BigDecimal.ZERO : totalRevenue;
        refundedAmount = refundedAmount == null ? BigDecimal.ZERO : refundedAmount;
    }

    /** Where the person was at {@code at}, from {@code context.location} (no IP geolocation). */
    public record Location(String country, String city, Instant at) {
    }

    /** A channel's consent as of {@code at}. */
    public record Consent(boolean granted, Instant at) {
    }

    /** A push device token: its platform ({@code ios}, {@code android}, ...), last seen, and reported dead (or null). */
    public record PushToken(String platform, Instant lastSeenAt, Instant invalidatedAt) {
        /** Seen since a channel last reported it dead. */
        public boolean usable() {
            return invalidatedAt == null || (lastSeenAt != null && lastSeenAt.isAfter(invalidatedAt));
        }
    }
}
