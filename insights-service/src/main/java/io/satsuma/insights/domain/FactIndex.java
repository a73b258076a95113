package io.satsuma.insights.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts as the measures read them: each event once, each profile's in time order, and what was refunded per order. */
final class FactIndex {
    private final Map<String, List<Fact>> byProfile = new HashMap<>();
    private final Map<String, BigDecimal> refundedByOrder = new HashMap<>();

    FactIndex(List<Fact> facts) {
        Map<String, Fact> unique = new LinkedHashMap<>();
        facts.forEach(f -> unique.putIfAbsent(f.eventId(), f));
        for (Fact fact : unique.values()) {
            byProfile.computeIfAbsent(fact.profileId(), p -> new ArrayList<>()).add(fact);
            if (fact.kind() == Fact.Kind.REFUND && fact.orderId() != null) {
                refundedByOrder.merge(fact.orderId(), fact.amount(), BigDecimal::add);
            }
        }
        byProfile.values().forEach(list -> list.sort(Comparator.comparing(Fact::at).thenComparing(Fact::eventId)));
    }

    /** The profile's facts, oldest first. */
    List<Fact> of(String profileId) {
        return byProfile.getOrDefault(profileId, List.of());
    }

    /** What was refunded of the order (refunds matched by order id, whenever refunded). */
    BigDecimal refunded(Fact order) {
        return order.orderId() == null ? BigDecimal.ZERO : refundedByOrder.getOrDefault(order.orderId(), BigDecimal.ZERO);
    }

    /** The order's revenue less what was refunded of it. */
    BigDecimal net(Fact order) {
        return order.amount().subtract(refunded(order));
    }
}
