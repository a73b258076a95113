package io.satsuma.insights.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How profiles move between stages (the segments of an exclusion group, such as the lifecycle, in priority order):
 * the transition matrix from one instant to another — for every profile in a stage at either instant, its stage at
 * the first (or none) against its stage at the second (or none). A profile found in two stages at once (a group's
 * segments exclude each other, so only while a change is on its way) counts in the first listed.
 */
public final class Journeys {

    /** The stages' names for the rows and columns: the segment ids, then {@link #NONE}. */
    public static final String NONE = "none";

    /** {@code counts[i][j]}: profiles in stage i (or none, last) at {@code from} and stage j (or none) at {@code to}. */
    public record Matrix(Instant from, Instant to, List<String> stages, long[][] counts) {
    }

    private Journeys() {
    }

    public static Matrix between(Instant from, Instant to, List<String> stageIds,
                                 Map<String, List<MembershipRecord>> changesByStage) {
        List<Map<String, List<MembershipIntervals.Interval>>> intervals = new ArrayList<>();
        Set<String> profiles = new HashSet<>();
        for (String stage : stageIds) {
            Map<String, List<MembershipIntervals.Interval>> of = MembershipIntervals.of(changesByStage.getOrDefault(stage, List.of()));
            intervals.add(of);
            profiles.addAll(of.keySet());
        }
        int none = stageIds.size();
        long[][] counts = new long[none + 1][none + 1];
        for (String profile : profiles) {
            int before = stageAt(intervals, profile, from, none);
            int after = stageAt(intervals, profile, to, none);
            if (before != none || after != none) {
                counts[before][after]++;
            }
        }
        List<String> names = new ArrayList<>(stageIds);
        names.add(NONE);
        return new Matrix(from, to, names, counts);
    }

    /** One matrix per bucket of the days {@code from..to}: from each bucket's start to its end. */
    public static List<Matrix> perBucket(LocalDate from, LocalDate to, Bucketing bucketing, List<String> stageIds,
                                         Map<String, List<MembershipRecord>> changesByStage) {
        List<Matrix> matrices = new ArrayList<>();
        for (Bucketing.Bucket bucket : bucketing.cut(from, to)) {
            matrices.add(between(bucket.start().atStartOfDay(ZoneOffset.UTC).toInstant(),
                    bucket.end().atStartOfDay(ZoneOffset.UTC).toInstant(), stageIds, changesByStage));
        }
        return matrices;
    }

    private static int stageAt(List<Map<String, List<MembershipIntervals.Interval>>> intervals, String profile,
                               Instant at, int none) {
        for (int i = 0; i < intervals.size(); i++) {
            if (intervals.get(i).getOrDefault(profile, List.of()).stream().anyMatch(interval -> interval.contains(at))) {
                return i;
            }
        }
        return none;
    }
}
