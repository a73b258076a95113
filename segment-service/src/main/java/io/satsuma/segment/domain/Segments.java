package io.satsuma.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Segment definitions of a workspace (live ones only, unless said otherwise). */
public interface Segments {
    /**
     * Locks the workspace's definitions until commit, waiting for evaluations in flight (which hold
     * the same lock shared); evaluations that start later see the change.
     */
    void lockForChange(String workspace);

    void add(Segment segment);

    void update(Segment segment);

    void markDeleted(String workspace, String segmentId, Instant at);

    Optional<Segment> find(String workspace, String segmentId);

    List<Segment> list(String workspace);

    boolean nameTaken(String workspace, String name, String exceptSegmentId);

    /** One saved version of a definition. */
    record Version(long version, String name, JsonNode condition,
                   BigDecimal holdoutPercent, String exclusionGroup, Integer groupPriority, Instant savedAt) {
    }

    /** Every version of a segment (also a deleted one), oldest first. */
    List<Version> versions(String workspace, String segmentId);
}
