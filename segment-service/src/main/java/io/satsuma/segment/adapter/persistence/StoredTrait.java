package io.satsuma.segment.adapter.persistence;

import io.satsuma.segment.domain.ProfileFacts;

/**
 * Where a condition's trait path is stored in {@code profile_state}: {@code "plan"} and {@code "address.city"}
 * under the top-level key of {@code traits}; {@code "$profile.orderCount"} under {@code aggregates}.
 *
 * @param key    the top-level key, or null for {@code "$profile"} itself (the whole aggregates object)
 * @param nested whether the path goes deeper than that key
 */
record StoredTrait(String column, String key, boolean nested) {

    static StoredTrait of(String path) {
        String[] parts = path.split("\\.");
        if (!parts[0].equals(ProfileFacts.PROFILE_ATTRIBUTES)) {
            return new StoredTrait("traits", parts[0], parts.length > 1);
        }
        return new StoredTrait("aggregates", parts.length > 1 ? parts[1] : null, parts.length > 2);
    }
}
