package io.satsuma.contracts.profile.v1;

import java.time.Instant;

/**
 * Marker on {@code satsuma.profile-events.v1} (keyed by the survivor): every event of
 * {@code absorbedId} now belongs to {@code survivorId}, and {@code absorbedId} no longer exists.
 */
public record ProfilesMerged(String survivorId, String absorbedId, Instant mergedAt) {
}
