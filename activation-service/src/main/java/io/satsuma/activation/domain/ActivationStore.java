package io.satsuma.activation.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Destinations, syncs and the delivery ledger of activation-service. */
public interface ActivationStore {
    void addDestination(Destination destination, String secretCiphertext);

    Optional<Destination> destination(String workspace, String destinationId);

    String secretCiphertext(String destinationId);

    List<Destination> destinations(String workspace);

    void addSync(Sync sync);

    Optional<Sync> sync(String workspace, String syncId);

    List<Sync> syncs(String workspace);

    List<Sync> syncsOfSegment(String workspace, String segmentId);

    /** Adds a pending delivery; false if this change was already planned for this sync. */
    boolean planDelivery(Delivery delivery, Instant now);

    /**
     * Locks up to {@code limit} due deliveries (skipping ones other workers hold), never one that has
     * an older pending delivery of the same profile on the same sync: per-profile order is kept.
     */
    List<Delivery> claimDue(Instant now, int limit);

    void markSent(long deliveryId, int attempts, Instant at);

    void markRetry(long deliveryId, int attempts, Instant nextAttemptAt, String error);

    void markFailed(long deliveryId, int attempts, Instant at, String error);

    SyncStatus status(String workspace, String syncId);

    /**
     * Puts the sync's dead-lettered ({@code FAILED}) deliveries back in the queue, due now, with their attempts
     * reset; sent ones are untouched. Returns how many.
     */
    int requeueFailed(String workspace, String syncId, Instant now);

    /** GDPR: deletes every delivery of the profile (pending ones are never sent); returns how many. */
    int forgetProfile(String workspace, String profileId);
}
