package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which segments read which events, traits and aggregates, so that a change re-evaluates only the segments it
 * can affect (ARCHITECTURE.md §5). Built from the workspace's effective segments, whose conditions already
 * inline the segments they reference and the higher-priority members of their exclusion group: a segment
 * that depends on another reads what that one reads, so no transitive closure is needed here.
 *
 * <p>Time is not a change: what time alone changes is found by timers, which an evaluation of only some
 * segments keeps no later than the earliest flip of any segment.
 */
public final class DependencyIndex {
    private final List<Segment> segments;
    private final Map<String, BitSet> byEvent = new HashMap<>();
    private final Map<String, BitSet> byTrait = new HashMap<>();
    private final Map<String, BitSet> byAggregate = new HashMap<>();
    /** Segments that read {@code $profile} as a whole: any aggregate change affects them. */
    private final BitSet anyAggregate = new BitSet();

    private DependencyIndex(List<Segment> segments) {
        this.segments = List.copyOf(segments);
        for (int i = 0; i < this.segments.size(); i++) {
            // What a condition reads does not depend on the instant (it only sets eventsSince, unused here).
            Evaluation.Inputs reads = Evaluation.inputsOf(List.of(this.segments.get(i).condition()), Instant.EPOCH);
            for (String event : reads.eventNames()) {
                byEvent.computeIfAbsent(event, e -> new BitSet()).set(i);
            }
            for (String path : reads.traitPaths()) {
                TraitPath trait = TraitPath.of(path);
                if (!trait.aggregate()) {
                    byTrait.computeIfAbsent(trait.key(), k -> new BitSet()).set(i);
                } else if (trait.key() == null) {
                    anyAggregate.set(i);
                } else {
                    byAggregate.computeIfAbsent(trait.key(), k -> new BitSet()).set(i);
                }
            }
        }
    }

    /** The index of these (effective, linked) segments. */
    public static DependencyIndex of(List<Segment> segments) {
        return new DependencyIndex(segments);
    }

    /** The segments whose result the changes can alter, in the workspace's order. */
    public List<Segment> affectedBy(ProfileChanges changes) {
        if (changes.everything()) {
            return segments;
        }
        BitSet affected = new BitSet();
        changes.events().forEach(e -> or(affected, byEvent.get(e)));
        changes.traits().forEach(t -> or(affected, byTrait.get(t)));
        changes.aggregates().forEach(a -> or(affected, byAggregate.get(a)));
        if (!changes.aggregates().isEmpty()) {
            affected.or(anyAggregate);
        }
        List<Segment> result = new ArrayList<>(affected.cardinality());
        affected.stream().forEach(i -> result.add(segments.get(i)));
        return result;
    }

    private static void or(BitSet into, BitSet readers) {
        if (readers != null) {
            into.or(readers);
        }
    }
}
