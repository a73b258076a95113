package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.ProfileAggregates;
import java.time.Instant;
import java.util.LinkedHashMap;
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

    public ProfileState withAggregates(io.satsuma.contracts.profile.v1.ProfileAggregates recomputed) {
        return new ProfileState(id, version, status, mergedInto, traits, recomputed, createdAt, updatedAt);
    }
}
