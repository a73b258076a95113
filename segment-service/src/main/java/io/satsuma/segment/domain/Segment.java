package io.satsuma.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A segment definition: its condition as written (JSON) and as parsed, and the percentage of its members
 * held out as a control group. Versioned on every edit.
 */
public record Segment(String id, String workspace, String name, String description, JsonNode conditionJson,
                      Condition condition, java.math.BigDecimal holdoutPercent, long version, Instant createdAt,
                      Instant updatedAt) {
}
