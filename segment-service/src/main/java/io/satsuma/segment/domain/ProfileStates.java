package io.satsuma.segment.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Segment-service's own copy of what it needs of each profile. */
public interface ProfileStates {

    /**
     * Creates the profile's row if missing and locks it until commit (one evaluation at a time per
     * profile); also takes the workspace's definitions lock shared (see {@link Segments#lockForChange}).
     */
    void lock(String workspace, String profileId);

    /** Applies a snapshot unless one at least as new was applied; returns whether it was applied. */
    boolean applySnapshot(String workspace, String profileId, long version, String status, String mergedInto,
                          Map<String, Object> traits, Map<String, Object> aggregates, List<Identifier> identifiers);

    /** Stores an event; false if it was already stored. */
    boolean addEvent(String workspace, String profileId, ObservedEvent event);

    /** Moves every event of {@code absorbedId} to {@code survivorId} and marks the absorbed profile merged. */
    void moveEvents(String workspace, String absorbedId, String survivorId);

    /** An unmerge: the named events go back from the survivor to the restored profile, which is active again. */
    void restoreEvents(String workspace, String survivorId, String restoredId, java.util.List<String> eventIds);

    boolean isActive(String workspace, String profileId);

    /** The profile's traits and the events the inputs name (none at all when they name none). */
    ProfileFacts facts(String workspace, String profileId, Evaluation.Inputs inputs);

    /**
     * A backfill page: the next range of active profiles after {@code afterProfileId} (in id order) and,
     * locked (in id order, as {@link #lock} does) and read with only the traits and events in
     * {@code inputs}, those of them that the segments could hold now or later with no new input, or that
     * are members of one of them now. The others are left where they lie: nothing about them can change.
     */
    Range lockRange(String workspace, String afterProfileId, List<Segment> segments, Evaluation.Inputs inputs,
                    Instant now);

    /** A range of active profiles ({@code lastProfileId} null when none are left) and its candidates. */
    record Range(String lastProfileId, long profiles, List<ProfileFacts> candidates) {
    }

    /** Bumps the membership version of each profile. */
    void nextMembershipVersions(String workspace, java.util.Collection<String> profileIds);

    /** Bumps and returns the profile's membership version (the cache's ordering key). */
    long nextMembershipVersion(String workspace, String profileId);

    Optional<String> profileOf(String workspace, Identifier identifier);

    /** Active profiles in id order after {@code afterProfileId}. */
    List<String> profileIds(String workspace, String afterProfileId, int limit);

    long countActive(String workspace);

    /** The profile's identifiers known here. */
    List<Identifier> identifiersOf(String workspace, String profileId);

    /** Marks the profile erased: later snapshots of it are ignored and it matches nothing. */
    void markErased(String workspace, String profileId);

    /** Deletes everything held on an erased profile: events, identifiers, membership rows and history, timer. */
    void forget(String workspace, String profileId);
}
