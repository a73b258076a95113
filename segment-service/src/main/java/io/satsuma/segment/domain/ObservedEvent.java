package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.Map;

/** An event of a profile as segment conditions see it. */
public record ObservedEvent(String eventId, String name, Instant occurredAt, Map<String, Object> properties) {
}
