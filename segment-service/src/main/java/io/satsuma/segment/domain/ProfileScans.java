package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.List;

/** Reads over many profiles of a workspace, for backfills and previews. */
public interface ProfileScans {

    /**
     * A backfill page: the next range of active profiles after {@code afterProfileId} (in id order) and,
     * locked (in id order, as {@link ProfileStates#lock} does) and read with only the traits and events in
     * {@code inputs}, those of them that the segments could hold now or later with no new input, or that
     * are members of one of them now. The others are left where they lie: nothing about them can change.
     */
    Range lockRange(String workspace, String afterProfileId, List<Segment> segments, Evaluation.Inputs inputs,
                    Instant now);

    /** A range of active profiles ({@code lastProfileId} null when none are left) and its candidates. */
    record Range(String lastProfileId, long profiles, List<ProfileFacts> candidates) {
    }

    /** Active profiles in id order after {@code afterProfileId}. */
    List<String> profileIds(String workspace, String afterProfileId, int limit);

    long countActive(String workspace);
}
