package io.satsuma.activation.domain;

import java.time.Instant;

/**
 * One membership change on its way to one message destination; at most one per (sync, change). {@code traceParent}
 * is the W3C trace context the change arrived in (opaque here; null when there was none): its channel call, made
 * later by another thread, continues that trace.
 */
public record Delivery(long id, String workspace, String syncId, String destinationId, String changeId,
                       String segmentId, String segmentName, String profileId, String change, Instant changedAt,
                       long sequence, String status, int attempts, String traceParent) {

    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    /** Not sent, on purpose: no consent, no contact point, held out... ({@code last_error} says which). */
    public static final String SKIPPED = "SKIPPED";
}
