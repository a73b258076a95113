package io.satsuma.segment.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Exclusion groups: a profile is in at most one segment of a group, the matching segment with the
 * highest priority (lowest number; ties by id). Expressed in the conditions themselves: a grouped
 * segment's effective condition is its own condition and none of the higher-priority ones, so
 * evaluation, explain and time-driven changes need nothing special.
 */
public final class ExclusionGroups {
    private static final Comparator<Segment> PRIORITY = Comparator
            .comparing((Segment s) -> s.groupPriority() == null ? Integer.MAX_VALUE : s.groupPriority())
            .thenComparing(Segment::id);

    private ExclusionGroups() {
    }

    /** The segments (already linked) with the conditions of grouped segments restricted by their group. */
    public static List<Segment> apply(List<Segment> segments) {
        Map<String, List<Segment>> groups = segments.stream().filter(s -> s.exclusionGroup() != null)
                .collect(Collectors.groupingBy(Segment::exclusionGroup));
        if (groups.isEmpty()) {
            return segments;
        }
        List<Segment> result = new ArrayList<>(segments.size());
        for (Segment segment : segments) {
            if (segment.exclusionGroup() == null) {
                result.add(segment);
                continue;
            }
            List<Condition> higher = groups.get(segment.exclusionGroup()).stream()
                    .filter(other -> PRIORITY.compare(other, segment) < 0)
                    .map(Segment::condition).toList();
            result.add(higher.isEmpty() ? segment : segment.withCondition(new Condition.All(List.of(
                    segment.condition(), new Condition.Not(new Condition.Any(higher))))));
        }
        return result;
    }
}
