package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The profile store: identity graph, profiles, their events and the merge journal of a workspace. */
public interface Profiles {

    /** Serialises concurrent resolution of the same identifiers (across instances) until commit. */
    void lockIdentifiers(String workspace, List<Identifier> identifiers);

    Map<Identifier, String> ownersOf(String workspace, List<Identifier> identifiers);

    /** For each identifier that exists: the profile it belongs to and the profile it was first attributed to. */
    Map<Identifier, Ownership> ownershipOf(String workspace, List<Identifier> identifiers);

    /** @param origin the profile the identifier was first attributed to (survives merges; unmerge reads it) */
    record Ownership(String profileId, String origin) {
    }

    /**
     * Locks the profiles' rows until commit, in id order: one writer per profile at a time, whichever
     * identifiers brought each writer there (an anonymous id and a user id take different identifier locks).
     * Returns those that are still active (not merged or erased meanwhile).
     */
    java.util.Set<String> lockProfiles(String workspace, java.util.Collection<String> profileIds);

    Map<String, KnownProfile> known(String workspace, Collection<String> profileIds);

    boolean hasEvent(String workspace, String messageId);

    Optional<ProfileState> find(String workspace, String profileId);

    List<Identifier> identifiersOf(String workspace, String profileId);

    void create(String workspace, ProfileState profile);

    void attach(String workspace, String profileId, List<Identifier> identifiers, String origin, Instant at);

    /**
     * Moves the absorbed profile's identifiers, events and missing traits to the survivor (their origin
     * stays); marks it merged; the survivor inherits the profiles it was kept apart from.
     */
    void absorb(String workspace, String survivorId, String absorbedId, Instant at);

    /** The profile and every profile merged into it, transitively (what it brought to a merge; what an erasure deletes). */
    List<String> withAbsorbed(String workspace, String profileId);

    /**
     * Gives back to {@code restoredId} the identifiers and events now held by {@code survivorId} whose origin
     * is one of {@code origins}; returns the ids of the events moved.
     */
    List<String> restore(String workspace, String survivorId, String restoredId, List<String> origins);

    /** From now on resolution refuses to merge the two profiles. */
    void keepApart(String workspace, String profileId, String otherId, Instant at);

    List<CustomerEvent> eventsOf(String workspace, String profileId);

    /** The times of the profile's events closest to {@code at}: the latest at or before it, the earliest after it. */
    Aggregates.Neighbours neighbours(String workspace, String profileId, Instant at);

    void recordEvent(String workspace, String profileId, String origin, IngestedEvent event);

    void save(String workspace, ProfileState profile);

    /** Adds one event's contribution to its day bucket. */
    void addToDay(String workspace, String profileId, ProfileSettings.Day contribution);

    /** Replaces all day buckets of the profile (after an unmerge). */
    void replaceDays(String workspace, String profileId, List<ProfileSettings.Day> days);

    List<ProfileSettings.Day> daysOf(String workspace, String profileId, java.time.LocalDate from, java.time.LocalDate to);

    /** Deletes every workspace's buckets older than its retention (the default's for workspaces without settings). */
    int deleteExpiredDays(int defaultRetentionDays);

    void journal(String workspace, MergeEntry entry);

    List<MergeEntry> mergesOf(String workspace, String profileId);

    // Bulk operations for a batch of events whose resolution is already decided (see BatchPlan).

    /** Those of the message ids already stored in the workspace. */
    Set<String> storedMessageIds(String workspace, Collection<String> messageIds);

    /** The profiles, by id (missing ones absent). */
    Map<String, ProfileState> findAll(String workspace, Collection<String> profileIds);

    /** New profiles, each with the identifiers it holds (by profile id; their origin is the profile itself). */
    void createAll(String workspace, List<ProfileState> profiles, Map<String, List<Identifier>> identifiersById, Instant at);

    /** An event attributed to a profile, with the profile it is first attributed to. */
    record Attributed(String profileId, String origin, IngestedEvent event) {
    }

    void recordEvents(String workspace, List<Attributed> events);

    /** Adds contributions to day buckets; several for the same profile, day and event are added up. */
    void addToDays(String workspace, Map<String, List<ProfileSettings.Day>> contributionsByProfile);

    void saveAll(String workspace, Collection<ProfileState> profiles);

    Map<String, List<Identifier>> identifiersOfAll(String workspace, Collection<String> profileIds);
}
