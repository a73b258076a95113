package io.satsuma.insights.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How segments share members at an instant: the pairwise matrix (up to {@link #MAX_PAIRWISE} segments) and, for up
 * to {@link #MAX_COMBINATIONS}, the exact UpSet-style combinations — for every non-empty subset of the segments, how
 * many profiles are members of exactly those and of no other of them.
 */
public final class Overlap {
    public static final int MAX_PAIRWISE = 20;
    public static final int MAX_COMBINATIONS = 6;

    /**
     * @param sizes        members of each segment at the instant, in the order asked
     * @param pairwise     {@code pairwise[i][j]}: members of both segment i and segment j ({@code [i][i]} its size)
     * @param combinations for up to six segments: each subset (by segment ids) with the profiles in exactly those,
     *                     largest first; null beyond six
     */
    public record Result(Instant at, List<String> segmentIds, List<Long> sizes, long[][] pairwise,
                         List<Combination> combinations) {
    }

    /** Profiles that are members of exactly these segments (and of none of the other segments asked). */
    public record Combination(List<String> segmentIds, long profiles) {
    }

    private Overlap() {
    }

    /** @param changesBySegment each asked segment's membership changes (any order, repeats allowed) */
    public static Result at(Instant at, List<String> segmentIds, Map<String, List<MembershipRecord>> changesBySegment) {
        int n = segmentIds.size();
        List<Set<String>> members = new ArrayList<>();
        for (String segmentId : segmentIds) {
            Set<String> now = new HashSet<>();
            MembershipIntervals.of(changesBySegment.getOrDefault(segmentId, List.of())).forEach((profile, intervals) -> {
                if (intervals.stream().anyMatch(i -> i.contains(at))) {
                    now.add(profile);
                }
            });
            members.add(now);
        }
        long[][] pairwise = new long[n][n];
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sizes.add((long) members.get(i).size());
            for (int j = 0; j < n; j++) {
                Set<String> smaller = members.get(i).size() <= members.get(j).size() ? members.get(i) : members.get(j);
                Set<String> larger = smaller == members.get(i) ? members.get(j) : members.get(i);
                pairwise[i][j] = smaller.stream().filter(larger::contains).count();
            }
        }
        List<Combination> combinations = null;
        if (n <= MAX_COMBINATIONS) {
            Map<String, Integer> maskOf = new HashMap<>();
            for (int i = 0; i < n; i++) {
                int bit = 1 << i;
                members.get(i).forEach(p -> maskOf.merge(p, bit, (a, b) -> a | b));
            }
            Map<Integer, Long> counts = new LinkedHashMap<>();
            maskOf.values().forEach(mask -> counts.merge(mask, 1L, Long::sum));
            combinations = new ArrayList<>();
            for (var entry : counts.entrySet()) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if ((entry.getKey() & (1 << i)) != 0) {
                        ids.add(segmentIds.get(i));
                    }
                }
                combinations.add(new Combination(ids, entry.getValue()));
            }
            combinations.sort((a, b) -> a.profiles() != b.profiles() ? Long.compare(b.profiles(), a.profiles())
                    : String.join(",", a.segmentIds()).compareTo(String.join(",", b.segmentIds())));
        }
        return new Result(at, List.copyOf(segmentIds), sizes, pairwise, combinations);
    }
}
