package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Segment definitions of a workspace (live ones only, unless said otherwise). */
public interface Segments {
    void add(Segment segment);

    void update(Segment segment);

    void markDeleted(String workspace, String segmentId, Instant at);

    Optional<Segment> find(String workspace, String segmentId);

    List<Segment> list(String workspace);

    boolean nameTaken(String workspace, String name, String exceptSegmentId);
}
