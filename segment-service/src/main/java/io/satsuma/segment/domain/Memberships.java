package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Membership truth: current members and the history of every stay. */
public interface Memberships {

    /** Current membership of a profile: segment id → whether it is a member, with the sequence so far. */
    Map<String, State> of(String workspace, String profileId);

    /** The sequence is the (segment, profile) change counter carried on the published change. */
    record State(boolean member, long sequence, boolean holdout) {
    }

    /** Records an entry; {@code holdout} marks the member as part of the segment's control group. */
    void enter(String workspace, String segmentId, String profileId, long sequence, boolean holdout, Instant at,
               String cause);

    void exit(String workspace, String segmentId, String profileId, long sequence, Instant at, String cause);

    /** The membership rows of the given segments for the given profiles: profile id → segment id → state. */
    Map<String, Map<String, State>> of(String workspace, Collection<String> segmentIds,
                                       Collection<String> profileIds);

    /** Records many entries and exits at once, all at {@code at} with the same cause (a backfill page). */
    default void recordAll(String workspace, List<Evaluation.Transition> transitions, Instant at, String cause) {
        recordAll(workspace, transitions, at, t -> cause);
    }

    /** Records many entries and exits at once, all at {@code at}, each with its own cause (a poll of changes). */
    void recordAll(String workspace, List<Evaluation.Transition> transitions, Instant at,
                   Function<Evaluation.Transition, String> causes);

    /** Segment ids the profile is a member of now (and which of them hold it out), with its membership version. */
    CurrentSegments current(String workspace, String profileId);

    List<String> members(String workspace, String segmentId);

    /** {@link #current} of many profiles at once. */
    Map<String, CurrentSegments> currentAll(String workspace, Collection<String> profileIds);

    record CurrentSegments(long version, List<String> segmentIds, List<String> heldOutIds) {
    }

    /** One stay of a profile in a segment; {@code exitedAt} is null while it lasts. */
    record Interval(String segmentId, String profileId, Instant enteredAt, Instant exitedAt, String enterCause,
                    String exitCause) {
    }

    /** A profile's stays in every segment, oldest first. */
    List<Interval> historyOf(String workspace, String profileId);

    /**
     * Members of a segment in profile-id order after {@code afterProfileId}: now if {@code at} is null,
     * else at that instant (from the history).
     */
    List<String> membersPage(String workspace, String segmentId, Instant at, String afterProfileId, int limit);

    long size(String workspace, String segmentId);
}
