package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.ProfileAggregates;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Folding events into a profile's behavioural aggregates. {@link #apply} is the incremental step;
 * {@link #fold} recomputes from scratch (after a merge), and both give the same result for the same
 * events in any order.
 */
public final class Aggregates {
    private Aggregates() {
    }

    public static ProfileAggregates empty() {
        return new ProfileAggregates(0, 0, BigDecimal.ZERO, null, null, null);
    }

    public static ProfileAggregates apply(ProfileAggregates current, CustomerEvent event) {
        boolean order = event.isOrder();
        return new ProfileAggregates(
                current.eventCount() + 1,
                current.orderCount() + (order ? 1 : 0),
                order ? current.totalRevenue().add(revenueOf(event.properties())) : current.totalRevenue(),
                min(current.firstSeenAt(), event.timestamp()),
                max(current.lastSeenAt(), event.timestamp()),
                order ? max(current.lastOrderAt(), event.timestamp()) : current.lastOrderAt());
    }

    public static ProfileAggregates fold(List<CustomerEvent> events) {
        ProfileAggregates result = empty();
        for (CustomerEvent event : events.stream().sorted(Comparator.comparing(CustomerEvent::timestamp)).toList()) {
            result = apply(result, event);
        }
        return result;
    }

    /**
     * Revenue of an order per the Segment e-commerce spec: {@code revenue}, else {@code total}, else
     * the sum of {@code products[].price × quantity}. Non-numeric values count as zero.
     */
    public static BigDecimal revenueOf(Map<String, Object> properties) {
        if (properties == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal revenue = decimal(properties.get("revenue"));
        if (revenue == null) {
            revenue = decimal(properties.get("total"));
        }
        if (revenue == null && properties.get("products") instanceof List<?> products) {
            revenue = BigDecimal.ZERO;
            for (Object product : products) {
                if (product instanceof Map<?, ?> p) {
                    BigDecimal price = decimal(p.get("price"));
                    BigDecimal quantity = decimal(p.get("quantity"));
                    if (price != null) {
                        revenue = revenue.add(price.multiply(quantity == null ? BigDecimal.ONE : quantity));
                    }
                }
            }
        }
        return revenue == null ? BigDecimal.ZERO : revenue;
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
