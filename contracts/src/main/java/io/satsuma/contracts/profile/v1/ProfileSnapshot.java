package io.satsuma.contracts.profile.v1;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest state of a profile, on the log-compacted {@code satsuma.profiles.v1}.
 *
 * <p>{@code version} grows by one with every change of the profile: consumers drop any snapshot
 * whose version is not above the last one they applied. A profile absorbed by a merge gets a last
 * snapshot with {@code status = MERGED} and {@code mergedInto} naming the survivor.
 */
public record ProfileSnapshot(
        String profileId,
        long version,
        String status,
        String mergedInto,
        List<Identifier> identifiers,
        Map<String, Object> traits,
        ProfileAggregates aggregates,
        Instant updatedAt) {

    public static final String STATUS_ACTIVE = "ACTIVE";
    public static final String STATUS_MERGED = "MERGED";
}
