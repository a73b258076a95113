package io.satsuma.contracts.event.v1;

import java.time.Instant;
import java.util.Map;

/**
 * One Segment-spec message as accepted by ingestion, on {@code satsuma.events.v1}.
 *
 * <p>{@code timestamp} is already corrected for client clock skew; {@code receivedAt} is the
 * server's clock. At least one of {@code userId} and {@code anonymousId} is present.
 *
 * @param messageId  the client's idempotency key
 * @param type       {@code track}, {@code identify}, {@code page}, {@code screen}, {@code alias} or {@code group}
 * @param event      the event name for {@code track} (page/screen name otherwise, may be null)
 * @param sourceId   the source whose write key accepted the event
 */
public record IngestedEvent(
        String messageId,
        String type,
        String event,
        String userId,
        String anonymousId,
        String previousId,
        Map<String, Object> traits,
        Map<String, Object> properties,
        Map<String, Object> context,
        Instant timestamp,
        Instant receivedAt,
        String sourceId) {
}
