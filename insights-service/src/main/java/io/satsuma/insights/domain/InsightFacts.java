package io.satsuma.insights.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What insights keep to measure segments: membership changes and the facts of profiles' events, each stored once. */
public interface InsightFacts {

    /** A membership change of a segment; a repeated (segment, profile, sequence) is kept once. */
    record SegmentChange(String segmentId, MembershipRecord change) {
    }

    void recordChanges(String workspace, List<SegmentChange> changes);

    /** Facts; a repeated event id is kept once. */
    void recordFacts(String workspace, List<Fact> facts);

    /** The segment's membership changes up to {@code until} (exclusive). */
    List<MembershipRecord> changesOf(String workspace, String segmentId, Instant until);

    /** The membership changes of each of the segments up to {@code until} (exclusive), by segment id. */
    Map<String, List<MembershipRecord>> changesOfSegments(String workspace, List<String> segmentIds, Instant until);

    /**
     * The facts of the segment's members (anyone it ever had) in {@code [from, to)}, and every refund of theirs
     * whenever it happened (refunds count against the orders they name).
     */
    List<Fact> factsOfMembers(String workspace, String segmentId, Instant from, Instant to);

    /** Deliveries; a repeated delivery id is kept once. */
    void recordDeliveries(String workspace, List<Delivery> deliveries);

    /** Every sync's deliveries in {@code [from, to)} to the profiles this sync reached in that time. */
    List<Delivery> deliveriesAround(String workspace, String syncId, Instant from, Instant to);

    /** The orders in {@code [from, to)} and every refund of the profiles this sync reached in {@code [reachedFrom, reachedTo)}. */
    List<Fact> ordersOfReached(String workspace, String syncId, Instant reachedFrom, Instant reachedTo, Instant from,
                               Instant to);

    /** Order lines; a repeated (event, line) is kept once. */
    void recordOrderLines(String workspace, List<OrderLine> lines);

    /** The order lines of the workspace in {@code [from, to)}. */
    List<OrderLine> orderLines(String workspace, Instant from, Instant to);
}
