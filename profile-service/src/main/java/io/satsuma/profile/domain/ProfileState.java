package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.ProfileAggregates;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile's current state: traits (last write wins per trait) and aggregates, with a version that
 * grows by one on every change.
 */
public record ProfileState(String id, long version, String status, String mergedInto, Map<String, Object> traits,
                           ProfileAggregates aggregates, Instant createdAt, Instant updatedAt) {

    public static final String ACTIVE = "ACTIVE";
    public static final String MERGED = "MERGED";

    public static ProfileState created(String id, Instant at) {
        return new ProfileState(id, 0, ACTIVE, null, Map.of(), Aggregates.empty(), at, at);
    }

    /** The state after one more event; identify (and group) calls also set traits. */
    public ProfileState with(CustomerEvent event, Aggregates.Neighbours around, Instant now) {
        Map<String, Object> newTraits = event.traits();
        Map<String, Object> merged = traits;
        if (newTraits != null && !newTraits.isEmpty() && ("identify".equals(event.type()))) {
            merged = new LinkedHashMap<>(traits);
            merged.putAll(newTraits);
        }
        return new ProfileState(id, version + 1, status, mergedInto, merged,
                Aggregates.apply(aggregates, event, around), createdAt, now);
    }

    public ProfileState withAggregates(ProfileAggregates recomputed) {
        return new ProfileState(id, version, status, mergedInto, traits, recomputed, createdAt, updatedAt);
    }

    /** Traits from scratch: every identify call's traits, in event-time order, the later winning per trait. */
    public static Map<String, Object> traitsOf(List<CustomerEvent> events) {
        Map<String, Object> traits = new LinkedHashMap<>();
        events.stream().filter(e -> "identify".equals(e.type()))
                .sorted(Comparator.comparing(CustomerEvent::timestamp).thenComparing(CustomerEvent::messageId))
                .forEach(e -> traits.putAll(e.traits()));
        return traits;
    }

    /** This profile active again with state recomputed from its own events (after an unmerge). */
    public ProfileState recomputed(List<CustomerEvent> ownEvents, Instant now) {
        return new ProfileState(id, version + 1, ACTIVE, null, traitsOf(ownEvents), Aggregates.fold(ownEvents),
                createdAt, now);
    }
}
