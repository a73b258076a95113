package io.satsuma.segment.domain;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed of a profile since it was last evaluated, as far as conditions can tell: the names of its new
 * events and the top-level traits and aggregates whose values changed; or everything (a new profile, a status
 * change, a merge). The {@link DependencyIndex} turns it into the segments that must look again.
 */
public record ProfileChanges(boolean everything, Set<String> events, Set<String> traits, Set<String> aggregates) {
    public static final ProfileChanges EVERYTHING = new ProfileChanges(true, Set.of(), Set.of(), Set.of());
    public static final ProfileChanges NOTHING = new ProfileChanges(false, Set.of(), Set.of(), Set.of());

    public ProfileChanges {
        events = Set.copyOf(events);
        traits = Set.copyOf(traits);
        aggregates = Set.copyOf(aggregates);
    }

    /** New events of these names (unnamed ones, such as page views without a name, change no condition). */
    public static ProfileChanges events(Collection<String> names) {
        Set<String> named = new LinkedHashSet<>();
        names.stream().filter(Objects::nonNull).forEach(named::add);
        return new ProfileChanges(false, named, Set.of(), Set.of());
    }

    /**
     * A newer snapshot replacing an older one: the top-level traits and aggregates whose values differ
     * (values that are equal but typed differently count as changed, which only costs an evaluation); a
     * status change is everything.
     */
    public static ProfileChanges snapshot(String oldStatus, String newStatus, Map<String, Object> oldTraits,
                                          Map<String, Object> newTraits, Map<String, Object> oldAggregates,
                                          Map<String, Object> newAggregates) {
        if (!Objects.equals(oldStatus, newStatus)) {
            return EVERYTHING;
        }
        return new ProfileChanges(false, Set.of(), differing(oldTraits, newTraits), differing(oldAggregates, newAggregates));
    }

    private static Set<String> differing(Map<String, Object> before, Map<String, Object> after) {
        Set<String> keys = new LinkedHashSet<>(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(key -> Objects.equals(before.get(key), after.get(key)));
        return keys;
    }

    public ProfileChanges and(ProfileChanges other) {
        if (everything || other.everything) {
            return EVERYTHING;
        }
        return new ProfileChanges(false, union(events, other.events), union(traits, other.traits),
                union(aggregates, other.aggregates));
    }

    public boolean isEmpty() {
        return !everything && events.isEmpty() && traits.isEmpty() && aggregates.isEmpty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }
}
