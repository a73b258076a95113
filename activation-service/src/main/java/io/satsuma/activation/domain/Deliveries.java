package io.satsuma.activation.domain;

import java.time.Instant;
import java.util.List;

/** The message deliveries: planned once per (sync, change), leased by a lane while it sends. */
public interface Deliveries {

    /** Adds a pending delivery; false if this change was already planned for this sync. */
    boolean plan(Delivery delivery, Instant now);

    /**
     * Leases up to {@code limit} due deliveries of the destination until {@code leaseUntil}, never one that has an
     * older pending delivery of the same profile on the same sync: per-profile order is kept.
     */
    List<Delivery> claim(String destinationId, Instant now, int limit, Instant leaseUntil, String owner);

    void markSent(long deliveryId, int attempts, Instant at);

    void markRetry(long deliveryId, int attempts, Instant nextAttemptAt, String error);

    /** Due again later without counting an attempt (quiet hours, waiting for the contact, a paused sync). */
    void postpone(long deliveryId, Instant nextAttemptAt, String reason);

    void markFailed(long deliveryId, int attempts, Instant at, String error);

    void markSkipped(long deliveryId, Instant at, String reason);

    /** Sent, failed, skipped, pending counts, the oldest pending, and the last error of a sync's deliveries. */
    MessageCounts counts(String workspace, String syncId);

    record MessageCounts(long sent, long failed, long skipped, long pending, Instant oldestPendingSince, String lastError) {
    }

    int requeueFailed(String workspace, String syncId, Instant now);

    /** GDPR: deletes every delivery of the profile (pending ones are never sent); returns how many. */
    int forgetProfile(String workspace, String profileId);

    /** The latest deliveries of a profile, newest first. */
    List<Logged> ofProfile(String workspace, String profileId, int limit);

    /** A delivery with its outcome. */
    record Logged(Delivery delivery, String lastError, Instant createdAt, Instant completedAt) {
    }
}
