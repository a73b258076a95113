package io.satsuma.segment.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Segment-service's own copy of what it needs of each profile. */
public interface ProfileStates {

    /**
     * Creates the profile's row if missing and locks it until commit (one evaluation at a time per
     * profile); also takes the workspace's definitions lock shared (see {@link Segments#lockForChange}).
     * Returns whether the row was created (the profile is new here: nothing of it was evaluated yet).
     */
    boolean lock(String workspace, String profileId);

    /**
     * {@link #lock} for several profiles, in id order (so that concurrent lockers never deadlock); returns
     * the profiles that are new here.
     */
    default Set<String> lockAll(String workspace, Collection<String> profileIds) {
        return profileIds.stream().sorted().distinct().filter(id -> lock(workspace, id))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** A profile's snapshot as segment-service keeps it (aggregates as condition attributes). */
    record Snapshot(String profileId, long version, String status, String mergedInto, Map<String, Object> traits,
                    Map<String, Object> aggregates, List<Identifier> identifiers) {
    }

    /**
     * Applies each snapshot that is newer than what is stored (one per profile, the caller holds the locks);
     * returns, by profile id, what each applied snapshot changed.
     */
    Map<String, ProfileChanges> applySnapshots(String workspace, List<Snapshot> snapshots);

    /** An event attributed to a profile. */
    record AttributedEvent(String profileId, ObservedEvent event) {
    }

    /** Stores the events not stored yet; returns the ids of those it stored (a redelivery stores nothing). */
    Set<String> addEvents(String workspace, List<AttributedEvent> events);

    /** Stores an event; false if it was already stored. */
    default boolean addEvent(String workspace, String profileId, ObservedEvent event) {
        return !addEvents(workspace, List.of(new AttributedEvent(profileId, event))).isEmpty();
    }

    /** Moves every event of {@code absorbedId} to {@code survivorId} and marks the absorbed profile merged. */
    void moveEvents(String workspace, String absorbedId, String survivorId);

    /** An unmerge: the named events go back from the survivor to the restored profile, which is active again. */
    void restoreEvents(String workspace, String survivorId, String restoredId, List<String> eventIds);

    boolean isActive(String workspace, String profileId);

    /** The profile's traits and the events the inputs name (none at all when they name none). */
    ProfileFacts facts(String workspace, String profileId, Evaluation.Inputs inputs);

    /**
     * {@link #facts} of those of the profiles that are active, by profile id, with only the traits and
     * aggregates the inputs name.
     */
    default Map<String, ProfileFacts> factsOfActive(String workspace, Collection<String> profileIds,
                                                    Evaluation.Inputs inputs) {
        Map<String, ProfileFacts> facts = new LinkedHashMap<>();
        profileIds.stream().filter(id -> isActive(workspace, id)).forEach(id -> facts.put(id, facts(workspace, id, inputs)));
        return facts;
    }

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
