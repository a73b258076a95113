package io.satsuma.insights.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The intervals a segment's members were members in, from its membership changes in any order and with repeats: each
 * profile's changes in sequence order (a repeated sequence counted once), an entry opening an interval
 * {@code [from, to)} and the next exit closing it; an interval without an exit is still open.
 */
public final class MembershipIntervals {

    /** A membership: from its entry (inclusive) to its exit (exclusive, null while still a member). */
    public record Interval(String profileId, Instant from, Instant to, boolean holdout) {

        public boolean contains(Instant t) {
            return !t.isBefore(from) && (to == null || t.isBefore(to));
        }

        public boolean overlaps(Instant start, Instant end) {
            return from.isBefore(end) && (to == null || to.isAfter(start));
        }
    }

    private MembershipIntervals() {
    }

    /** Each profile's intervals, oldest first. */
    public static Map<String, List<Interval>> of(List<MembershipRecord> changes) {
        Map<String, TreeMap<Long, MembershipRecord>> bySequence = new HashMap<>();
        changes.forEach(c -> bySequence.computeIfAbsent(c.profileId(), p -> new TreeMap<>()).putIfAbsent(c.sequence(), c));
        Map<String, List<Interval>> intervals = new LinkedHashMap<>();
        bySequence.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            List<Interval> list = new ArrayList<>();
            MembershipRecord open = null;
            for (MembershipRecord change : entry.getValue().values()) {
                if (change.entered() && open == null) {
                    open = change;
                } else if (!change.entered() && open != null) {
                    list.add(new Interval(entry.getKey(), open.at(), change.at(), open.holdout()));
                    open = null;
                }
            }
            if (open != null) {
                list.add(new Interval(entry.getKey(), open.at(), null, open.holdout()));
            }
            list.sort(Comparator.comparing(Interval::from));
            intervals.put(entry.getKey(), list);
        });
        return intervals;
    }
}
