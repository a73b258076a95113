package io.satsuma.contracts.profile.v1;

import java.time.Instant;
import java.util.List;

/**
 * Marker on {@code satsuma.profile-events.v1} (keyed by the survivor): an operator undid the merge of
 * {@code restoredId} into {@code survivorId}. {@code restoredId} exists again and the events named in
 * {@code eventIds} (those it brought, and those recorded since through its identifiers) are its own again.
 * New snapshots of both profiles follow on {@code satsuma.profiles.v1}.
 */
public record ProfilesUnmerged(String survivorId, String restoredId, List<String> eventIds, Instant unmergedAt) {
}
