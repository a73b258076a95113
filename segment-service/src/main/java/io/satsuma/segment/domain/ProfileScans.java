package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.List;

/** Reads over many profiles of a workspace, for backfills and previews. */
public interface ProfileScans {

    /**
     * A backfill page: the active profiles after {@code afterProfileId} (in id order) up to {@code upTo}
     * (null: to the end) — all of them, or the next several when reading them all at once would be too much —
     * and, locked (in id order, as {@link ProfileStates#lock} does) and read with only the traits and events
     * in {@code inputs}, those of them that the segments could hold now or later with no new input, or that
     * are members of one of them now. The others are left where they lie: nothing about them can change.
     */
    Range lockRange(String workspace, String afterProfileId, String upTo, List<Segment> segments,
                    Evaluation.Inputs inputs, Instant now);

    /**
     * A page: where the cursor moves to ({@code lastProfileId}, null when no active profile was left up to the
     * bound), how many active profiles it covered, and its candidates.
     */
    record Range(String lastProfileId, long profiles, List<ProfileFacts> candidates) {
    }

    /** Active profiles in id order after {@code afterProfileId}. */
    List<String> profileIds(String workspace, String afterProfileId, int limit);

    long countActive(String workspace);

    /**
     * Ascending profile ids that split the workspace's active profiles into pages of about
     * {@code pageProfiles}, estimated from a sample (an uneven split costs time, never correctness); none when
     * there are too few profiles to tell.
     */
    List<String> pageBounds(String workspace, long activeProfiles, int pageProfiles);
}
