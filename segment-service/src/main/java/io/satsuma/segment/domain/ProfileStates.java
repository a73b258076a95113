package io.satsuma.segment.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.Collection;
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

    /** {@link #lock} for several profiles, in id order (so that concurrent lockers never deadlock). */
    default void lockAll(String workspace, Collection<String> profileIds) {
        profileIds.stream().sorted().distinct().forEach(id -> lock(workspace, id));
    }

    /** Applies a snapshot unless one at least as new was applied; returns whether it was applied. */
    boolean applySnapshot(String workspace, String profileId, long version, String status, String mergedInto,
                          Map<String, Object> traits, Map<String, Object> aggregates, List<Identifier> identifiers);

    /** Stores an event; false if it was already stored. */
    boolean addEvent(String workspace, String profileId, ObservedEvent event);

    /** Moves every event of {@code absorbedId} to {@code survivorId} and marks the absorbed profile merged. */
    void moveEvents(String workspace, String absorbedId, String survivorId);

    /** An unmerge: the named events go back from the survivor to the restored profile, which is active again. */
    void restoreEvents(String workspace, String survivorId, String restoredId, List<String> eventIds);

    boolean isActive(String workspace, String profileId);

    /** The profile's traits and the events the inputs name (none at all when they name none). */
    ProfileFacts facts(String workspace, String profileId, Evaluation.Inputs inputs);

    /** Bumps the membership version of each profile. */
    void nextMembershipVersions(String workspace, Collection<String> profileIds);

    /** Bumps and returns the profile's membership version (the cache's ordering key). */
    long nextMembershipVersion(String workspace, String profileId);

    Optional<String> profileOf(String workspace, Identifier identifier);

    /** The profile's identifiers known here. */
    List<Identifier> identifiersOf(String workspace, String profileId);

    /** Marks the profile erased: later snapshots of it are ignored and it matches nothing. */
    void markErased(String workspace, String profileId);

    /** Deletes everything held on an erased profile: events, identifiers, membership rows and history, timer. */
    void forget(String workspace, String profileId);
}
