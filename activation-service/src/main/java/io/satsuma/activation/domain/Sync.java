package io.satsuma.activation.domain;

import java.time.Instant;

/** Mirrors one segment to one destination: every enter and exit is delivered. */
public record Sync(String id, String workspace, String segmentId, String destinationId, Instant createdAt) {
}
