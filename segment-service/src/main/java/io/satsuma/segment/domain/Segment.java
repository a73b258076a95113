package io.satsuma.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A segment definition: its condition as written (JSON) and as parsed, and the percentage of its members
 * held out as a control group; optionally a member of an exclusion group with a priority (1 first).
 * Versioned on every edit.
 */
public record Segment(String id, String workspace, String name, String description, JsonNode conditionJson,
                      Condition condition, BigDecimal holdoutPercent, String exclusionGroup,
                      Integer groupPriority, long version, Instant createdAt, Instant updatedAt) {

    /** The same definition with another (linked or group-restricted) condition. */
    public Segment withCondition(Condition effective) {
        return new Segment(id, workspace, name, description, conditionJson, effective, holdoutPercent, exclusionGroup,
                groupPriority, version, createdAt, updatedAt);
    }
}
