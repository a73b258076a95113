package io.satsuma.contracts;

import java.util.UUID;

/**
 * Record keys of {@code satsuma.profile-events.v1}: {@code <profileId>/<record id>}, one key per record.
 *
 * <p>The topic is compacted as well as time-limited (ADR 018), so that erasure can remove a person's events by
 * publishing a tombstone under each of their keys; a key per profile would let compaction keep only a profile's
 * last event. The partition is chosen from the profile id before the slash alone, so a profile's records stay on
 * the partition that a key of just its id gives — ordered per profile and co-partitioned with the other
 * profile-keyed topics.
 */
public final class ProfileEventKeys {
    private static final char SEPARATOR = '/';

    private ProfileEventKeys() {
    }

    /** The key of an event attributed to a profile; its message id is unique in the workspace. */
    public static String event(String profileId, String messageId) {
        return profileId + SEPARATOR + messageId;
    }

    /** The key of a merge, unmerge or erase marker of a profile: never the same as another record's. */
    public static String marker(String profileId) {
        return profileId + SEPARATOR + UUID.randomUUID();
    }

    /** The profile id a key belongs to (the whole key if it has no slash, as records of the first contract had). */
    public static String profileIdOf(String key) {
        int slash = key.indexOf(SEPARATOR);
        return slash < 0 ? key : key.substring(0, slash);
    }
}
