package io.satsuma.segment.domain;

import io.satsuma.contracts.event.v1.EcommerceSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile as it stood at a past instant, for evaluating definitions then (imported history, journeys): its events
 * up to that instant, and of its {@code $profile} aggregates those that events of this service determine — the order
 * aggregates {@link #DERIVED}, recomputed from its {@code Order Completed} events up to the instant. Other aggregates
 * are absent at a past instant (profile-service keeps no history of them, so a condition on them does not hold), and
 * traits are as they are now.
 */
public final class PointInTime {
    public static final Set<String> DERIVED = Set.of("orderCount", "firstOrderAt", "lastOrderAt", "totalRevenue");
    private static final String ORDER = "Order Completed";

    private PointInTime() {
    }

    /** What to read to evaluate the conditions at {@code at}: as at that instant, plus every order if one reads a derived aggregate. */
    public static Evaluation.Inputs inputs(List<Condition> conditions, Instant at) {
        Evaluation.Inputs usual = Evaluation.inputsOf(conditions, at);
        boolean derived = usual.traitPaths().stream().anyMatch(path -> DERIVED.stream()
                .anyMatch(name -> path.equals(ProfileFacts.PROFILE_ATTRIBUTES + "." + name)));
        if (!derived) {
            return usual;
        }
        Set<String> events = new LinkedHashSet<>(usual.eventNames());
        events.add(ORDER);
        return new Evaluation.Inputs(usual.traitPaths(), Instant.EPOCH, events);
    }

    /** The facts at {@code at}: later events dropped, the order aggregates recomputed, the other aggregates absent. */
    public static ProfileFacts at(ProfileFacts current, Instant at) {
        List<ObservedEvent> events = current.events().stream().filter(e -> !e.occurredAt().isAfter(at)).toList();
        long orders = 0;
        Instant first = null;
        Instant last = null;
        BigDecimal revenue = BigDecimal.ZERO;
        for (ObservedEvent e : events) {
            if (ORDER.equals(e.name())) {
                orders++;
                first = first == null || e.occurredAt().isBefore(first) ? e.occurredAt() : first;
                last = last == null || e.occurredAt().isAfter(last) ? e.occurredAt() : last;
                revenue = revenue.add(EcommerceSpec.revenueOf(e.properties()));
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("orderCount", orders);
        attributes.put("totalRevenue", revenue);
        if (first != null) {
            attributes.put("firstOrderAt", first.toString());
            attributes.put("lastOrderAt", last.toString());
        }
        Map<String, Object> traits = new LinkedHashMap<>(current.traits());
        traits.put(ProfileFacts.PROFILE_ATTRIBUTES, attributes);
        return new ProfileFacts(current.profileId(), traits, events);
    }
}
