package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The profiles of a workspace (traits, aggregates, version, status), and what merging and unmerging move. */
public interface Profiles {

    /**
     * Locks the profiles' rows until commit, in id order: one writer per profile at a time, whichever
     * identifiers brought each writer there (an anonymous id and a user id take different identifier locks).
     * Returns those that are still active (not merged or erased meanwhile).
     */
    Set<String> lockProfiles(String workspace, Collection<String> profileIds);

    Optional<ProfileState> find(String workspace, String profileId);

    /** The profiles, by id (missing ones absent). */
    Map<String, ProfileState> findAll(String workspace, Collection<String> profileIds);

    void create(String workspace, ProfileState profile);

    /**
     * New profiles (merged ones too), each with the identifiers it holds (by profile id, none if absent; their origin
     * is the profile itself).
     */
    void createAll(String workspace, List<ProfileState> profiles, Map<String, List<Identifier>> identifiersById, Instant at);

    void save(String workspace, ProfileState profile);

    /** Version, status, merged-into, traits, aggregates and update time of each profile. */
    void saveAll(String workspace, Collection<ProfileState> profiles);

    /**
     * Moves the absorbed profile's identifiers, events, day buckets and missing traits to the survivor (their
     * origin stays); marks it merged; the survivor inherits the profiles it was kept apart from.
     */
    void absorb(String workspace, String survivorId, String absorbedId, Instant at);

    /**
     * The rows {@link #absorb} moves, for many merges at once: the identifiers, events and day buckets of each absorbed
     * profile go to the profile that holds it now ({@code holderOf}: absorbed id → holder), and each survivor inherits
     * the separations of the profiles it absorbed. The profiles' own rows (traits, status) are the caller's to save.
     */
    void absorbAll(String workspace, Map<String, String> holderOf, List<ResolutionReplay.Inheritance> separations,
                   Instant at);

    /** The profile and every profile merged into it, transitively (what it brought to a merge; what an erasure deletes). */
    List<String> withAbsorbed(String workspace, String profileId);

    /**
     * Gives back to {@code restoredId} the identifiers and events now held by {@code survivorId} whose origin
     * is one of {@code origins}; returns the ids of the events moved.
     */
    List<String> restore(String workspace, String survivorId, String restoredId, List<String> origins);
}
