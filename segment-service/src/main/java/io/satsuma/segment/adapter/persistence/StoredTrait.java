package io.satsuma.segment.adapter.persistence;

import io.satsuma.segment.domain.TraitPath;

/**
 * Where a condition's trait path is stored in {@code profile_state}: traits under their top-level key of
 * {@code traits}, the profile's aggregates ({@code "$profile.orderCount"}) under {@code aggregates}.
 *
 * @param key    the top-level key, or null for {@code "$profile"} itself (the whole aggregates object)
 * @param nested whether the path goes deeper than that key
 */
record StoredTrait(String column, String key, boolean nested) {

    static StoredTrait of(String path) {
        TraitPath trait = TraitPath.of(path);
        return new StoredTrait(trait.aggregate() ? "aggregates" : "traits", trait.key(), trait.nested());
    }
}
