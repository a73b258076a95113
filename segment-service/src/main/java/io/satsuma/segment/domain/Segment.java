package io.satsuma.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A segment definition: its condition as written (JSON) and as parsed. Versioned on every edit. */
public record Segment(String id, String workspace, String name, String description, JsonNode conditionJson,
                      Condition condition, long version, Instant createdAt, Instant updatedAt) {
}
