package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Membership truth: current members and the history of every stay. */
public interface Memberships {

    /** Current membership of a profile: segment id → whether it is a member, with the sequence so far. */
    Map<String, State> of(String workspace, String profileId);

    /** The sequence is the (segment, profile) change counter carried on the published change. */
    record State(boolean member, long sequence) {
    }

    void enter(String workspace, String segmentId, String profileId, long sequence, Instant at, String cause);

    void exit(String workspace, String segmentId, String profileId, long sequence, Instant at, String cause);

    /** Segment ids the profile is a member of now, and the profile's membership version. */
    CurrentSegments current(String workspace, String profileId);

    List<String> members(String workspace, String segmentId);

    record CurrentSegments(long version, List<String> segmentIds) {
    }
}
