package io.satsuma.activation.domain;

import java.time.Instant;

/** One membership change on its way to one destination. */
public record Delivery(long id, String workspace, String syncId, String destinationId, String changeId,
                       String segmentId, String segmentName, String profileId, String change, Instant changedAt,
                       long sequence, String status, int attempts) {

    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
}
