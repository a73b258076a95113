package io.satsuma.contracts.profile.v1;

import java.time.Instant;
import java.util.Map;

/**
 * An ingested event after identity resolution, on {@code satsuma.profile-events.v1}, keyed by the
 * profile it was attributed to. {@code eventId} is the ingestion {@code messageId}; it identifies the
 * event across merges.
 */
public record ProfileEvent(
        String eventId,
        String profileId,
        String type,
        String event,
        Map<String, Object> properties,
        Instant timestamp) {
}
