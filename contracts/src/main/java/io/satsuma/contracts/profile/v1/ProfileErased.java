package io.satsuma.contracts.profile.v1;

import java.time.Instant;

/**
 * Marker on {@code satsuma.profile-events.v1} (keyed by the profile): the person was erased (GDPR).
 * Every service forgets what it holds on {@code profileId}; {@code satsuma.profiles.v1} gets a tombstone.
 */
public record ProfileErased(String profileId, Instant erasedAt) {
}
