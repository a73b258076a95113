package io.satsuma.contracts.delivery.v1;

import java.time.Instant;

/**
 * The final outcome of delivering one membership change to one destination, on
 * {@code satsuma.deliveries.v1}, keyed by profile id.
 *
 * @param status   {@code SENT}, or {@code FAILED} once retries are exhausted (the delivery is dead-lettered)
 * @param change   {@code ENTERED} or {@code EXITED}
 */
public record DeliveryCompleted(
        String deliveryId,
        String syncId,
        String destinationId,
        String segmentId,
        String profileId,
        String change,
        String status,
        int attempts,
        String lastError,
        Instant at) {

    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
}
