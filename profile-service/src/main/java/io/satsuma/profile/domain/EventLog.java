package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.IngestedEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every event attributed to a profile, stored once per message id. */
public interface EventLog {

    boolean hasEvent(String workspace, String messageId);

    /** Those of the message ids already stored in the workspace. */
    Set<String> storedMessageIds(String workspace, Collection<String> messageIds);

    void recordEvent(String workspace, String profileId, String origin, IngestedEvent event);

    /**
     * An event attributed to a profile, with the profile it is first attributed to and the one it is published
     * under (which differs when a later event of the same batch merges the profile away).
     */
    record Attributed(String profileId, String origin, String publishedAs, IngestedEvent event) {
    }

    void recordEvents(String workspace, List<Attributed> events);

    /**
     * The record keys on satsuma.profile-events.v1 of the events these profiles hold ({@code ProfileEventKeys}):
     * what erasure tombstones.
     */
    List<String> publishedKeysOf(String workspace, Collection<String> profileIds);

    /** The profile's events, oldest first. */
    List<CustomerEvent> eventsOf(String workspace, String profileId);

    /** The events of each profile, oldest first (profiles without events absent). */
    Map<String, List<CustomerEvent>> eventsOfAll(String workspace, Collection<String> profileIds);

    /** The times of the profile's events closest to {@code at}: the latest at or before it, the earliest after it. */
    Aggregates.Neighbours neighbours(String workspace, String profileId, Instant at);
}
