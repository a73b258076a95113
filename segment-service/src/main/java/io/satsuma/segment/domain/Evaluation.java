package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One profile evaluated against segments at one instant: the entries and exits that result, and when
 * time alone will next change one of them. Shared by the per-event path (one profile at a time) and the
 * backfill (a page of profiles written at once), so both decide exactly alike.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** An entry or exit; {@code sequence} is the (segment, profile) change counter carried on the published change. */
    public record Transition(Segment segment, String profileId, boolean entered, long sequence, boolean holdout) {
        public MembershipChange change() {
            return entered ? new MembershipChange.Entered(segment.id()) : new MembershipChange.Exited(segment.id());
        }
    }

    /**
     * @param facts   the profile's facts, or null when it is not active (then it matches nothing)
     * @param current the profile's membership rows by segment id
     */
    public static List<Transition> transitions(String profileId, List<Segment> candidates, ProfileFacts facts,
                                               Map<String, Memberships.State> current, Instant now) {
        List<Transition> transitions = new ArrayList<>();
        for (Segment segment : candidates) {
            boolean matches = facts != null && segment.condition().matches(facts, now);
            Memberships.State state = current.get(segment.id());
            MembershipChange change = MembershipChange.decide(segment.id(), state != null && state.member(), matches);
            long sequence = (state == null ? 0 : state.sequence()) + 1;
            if (change instanceof MembershipChange.Entered) {
                transitions.add(new Transition(segment, profileId, true, sequence,
                        Holdouts.isHeldOut(segment.id(), profileId, segment.holdoutPercent())));
            } else if (change instanceof MembershipChange.Exited) {
                transitions.add(new Transition(segment, profileId, false, sequence, state.holdout()));
            }
        }
        return transitions;
    }

    /** The first instant after {@code now} at which time alone changes the result of one of the segments. */
    public static Optional<Instant> nextFlip(List<Segment> candidates, ProfileFacts facts, Instant now) {
        return candidates.stream().map(s -> s.condition().nextFlip(facts, now)).flatMap(Optional::stream)
                .min(Instant::compareTo);
    }

    /**
     * What of a profile the segments read: trait paths ({@code "$profile.<name>"} for the profile's
     * aggregates), and events of these names since an instant. Nothing else can change their results.
     */
    public record Inputs(Set<String> traitPaths, Instant eventsSince, Set<String> eventNames) {
    }

    public static Inputs inputs(List<Segment> candidates, Instant now) {
        return inputsOf(candidates.stream().map(Segment::condition).toList(), now);
    }

    public static Inputs inputsOf(List<Condition> conditions, Instant now) {
        Set<String> traits = new LinkedHashSet<>();
        Set<String> events = new LinkedHashSet<>();
        conditions.forEach(c -> forEachLeaf(c, leaf -> {
            if (leaf instanceof Condition.TraitComparison trait) {
                traits.add(trait.trait());
            } else if (leaf instanceof Condition.EventAggregate aggregate) {
                events.add(aggregate.event());
            } else if (leaf instanceof Condition.Sequence sequence) {
                sequence.steps().forEach(step -> events.add(step.event()));
            } else if (leaf instanceof Condition.ReorderDue) {
                events.add(Condition.ReorderDue.ORDER);
            } else if (leaf instanceof Condition.Predicted predicted) {
                events.addAll(predicted.what().eventNames());
            }
        }));
        Instant since = conditions.stream().map(c -> c.relevantSince(now)).min(Instant::compareTo).orElse(now);
        return new Inputs(traits, since, events);
    }

    /** Every comparison and aggregate of the condition, through combinators and linked segment references. */
    private static void forEachLeaf(Condition c, Consumer<Condition> leaf) {
        if (c instanceof Condition.All all) {
            all.conditions().forEach(x -> forEachLeaf(x, leaf));
        } else if (c instanceof Condition.Any any) {
            any.conditions().forEach(x -> forEachLeaf(x, leaf));
        } else if (c instanceof Condition.Not not) {
            forEachLeaf(not.condition(), leaf);
        } else if (c instanceof Condition.SegmentReference ref) {
            if (ref.target() != null) {
                forEachLeaf(ref.target(), leaf);
            }
        } else {
            leaf.accept(c);
        }
    }
}
