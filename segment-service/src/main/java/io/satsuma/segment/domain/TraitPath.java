package io.satsuma.segment.domain;

/**
 * Where a condition's trait path lives in a profile: {@code "plan"} and {@code "address.city"} under the
 * top-level trait {@code plan} / {@code address}; {@code "$profile.orderCount"} under the aggregate
 * {@code orderCount}; {@code "$profile"} alone is every aggregate.
 *
 * @param aggregate whether the path names the profile's aggregates rather than its traits
 * @param key       the top-level key, or null for {@code "$profile"} itself (the whole aggregates object)
 * @param nested    whether the path goes deeper than that key
 */
public record TraitPath(boolean aggregate, String key, boolean nested) {

    public static TraitPath of(String path) {
        String[] parts = path.split("\\.");
        if (!parts[0].equals(ProfileFacts.PROFILE_ATTRIBUTES)) {
            return new TraitPath(false, parts[0], parts.length > 1);
        }
        return new TraitPath(true, parts.length > 1 ? parts[1] : null, parts.length > 2);
    }
}
