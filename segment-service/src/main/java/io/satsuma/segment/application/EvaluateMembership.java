package io.satsuma.segment.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.segment.domain.DependencyIndex;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.MembershipChange;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.segment.domain.ProfileChanges;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.Segments;
import io.satsuma.segment.domain.Timers;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates a profile against the segments of its workspace and records every enter/exit: the
 * membership row, the history interval and the published change commit together.
 */
@ApplicationScoped
public class EvaluateMembership {
    /** Bounds the catch-up on missed time-driven changes of one profile (each step moves strictly forward). */
    private static final int MAX_CATCH_UP = 1_000;

    private final Segments segments;
    private final ProfileStates states;
    private final Memberships memberships;
    private final Timers timers;
    private final Outbox outbox;
    private final MembershipCacheRefresh cacheRefresh;
    private final Clock clock;

    EvaluateMembership(Segments segments, ProfileStates states, Memberships memberships, Timers timers, Outbox outbox,
                       MembershipCacheRefresh cacheRefresh, Clock clock) {
        this.segments = segments;
        this.states = states;
        this.memberships = memberships;
        this.timers = timers;
        this.outbox = outbox;
        this.cacheRefresh = cacheRefresh;
        this.clock = clock;
    }

    /** Evaluates inside the caller's transaction; the caller holds the profile's lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<MembershipChange> evaluate(String workspace, String profileId, String cause) {
        return evaluate(workspace, profileId, segments.list(workspace), clock.instant(), cause);
    }

    /**
     * Evaluates a poll's profiles at once, inside the caller's transaction (which holds their locks): each
     * against only the segments its changes can affect ({@link DependencyIndex}), with the facts, memberships
     * and timers of all of them read in one statement each and every entry, exit, published change and timer
     * written with one statement per table. A profile with a time-driven change due by now, or one that is not
     * active, takes the one-profile path (which catches up on time first, or exits everything).
     * Timers are only ever moved earlier here: the segments not evaluated may still flip at the old instant,
     * and a timer that finds nothing to change just reschedules exactly.
     *
     * @param changes what changed of each profile, with the cause its history will name
     * @return the profiles whose memberships changed
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> evaluateChanged(String workspace, Map<String, Changed> changes) {
        Instant now = clock.instant();
        List<Segment> all = segments.list(workspace);
        DependencyIndex index = DependencyIndex.of(all);
        Map<String, Instant> timersDue = timers.dueAtAll(workspace, changes.keySet());
        Set<String> changedMemberships = new LinkedHashSet<>();
        Map<String, List<Segment>> affected = new LinkedHashMap<>();
        changes.forEach((profileId, changed) -> {
            Instant due = timersDue.get(profileId);
            if (due != null && !due.isAfter(now)) {
                if (!evaluate(workspace, profileId, all, now, changed.cause()).isEmpty()) {
                    changedMemberships.add(profileId);
                }
            } else {
                List<Segment> candidates = index.affectedBy(changed.changes());
                if (!candidates.isEmpty()) {
                    affected.put(profileId, candidates);
                }
            }
        });
        if (affected.isEmpty()) {
            return changedMemberships;
        }
        Set<String> union = new HashSet<>();
        affected.values().forEach(candidates -> candidates.forEach(s -> union.add(s.id())));
        List<Segment> read = all.stream().filter(s -> union.contains(s.id())).toList();
        Map<String, ProfileFacts> facts = states.factsOfActive(workspace, affected.keySet(), Evaluation.inputs(read, now));
        Map<String, Map<String, Memberships.State>> current = memberships.of(workspace,
                read.stream().map(Segment::id).toList(), affected.keySet());
        List<Evaluation.Transition> transitions = new ArrayList<>();
        Map<String, Instant> nextFlips = new HashMap<>();
        affected.forEach((profileId, candidates) -> {
            ProfileFacts profile = facts.get(profileId);
            if (profile == null) {
                if (!evaluate(workspace, profileId, all, now, changes.get(profileId).cause()).isEmpty()) {
                    changedMemberships.add(profileId);
                }
            } else {
                transitions.addAll(Evaluation.transitions(profileId, candidates, profile,
                        current.getOrDefault(profileId, Map.of()), now));
                Evaluation.nextFlip(candidates, profile, now).ifPresent(t -> nextFlips.put(profileId, t));
            }
        });
        memberships.recordAll(workspace, transitions, now, t -> changes.get(t.profileId()).cause());
        outbox.appendAll(transitions.stream().map(t -> published(workspace, t, now)).toList());
        states.nextMembershipVersions(workspace, transitions.stream().map(Evaluation.Transition::profileId)
                .distinct().toList());
        timers.scheduleNoLaterThan(workspace, nextFlips);
        transitions.forEach(t -> changedMemberships.add(t.profileId()));
        return changedMemberships;
    }

    /** What changed of a profile, and the cause its membership history will name. */
    public record Changed(ProfileChanges changes, String cause) {
    }

    /**
     * Fires a due timer: evaluates the profile at the timer's instant, the exact boundary, so that
     * the recorded change carries the instant it happened even if the sweep ran later. Skips a timer
     * that was rescheduled meanwhile. A timer is always later than the profile's last evaluation
     * (every evaluation reschedules it past its own instant), so history stays in order.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<MembershipChange> fireTimer(String workspace, String profileId, Instant dueAt) {
        states.lock(workspace, profileId);
        if (!timers.dueAt(workspace, profileId).filter(dueAt::equals).isPresent()) {
            return List.of();
        }
        List<MembershipChange> changes = evaluate(workspace, profileId, segments.list(workspace), dueAt, "time passed");
        if (!changes.isEmpty()) {
            cacheRefresh.memberships(workspace, List.of(profileId));
        }
        return changes;
    }

    /**
     * Evaluates at {@code now}, first catching up on every time-driven change due before it (each at its
     * own instant), so history records such changes when they happened whichever evaluation notices them.
     */
    List<MembershipChange> evaluate(String workspace, String profileId, List<Segment> candidates, Instant now,
                                    String cause) {
        List<MembershipChange> changes = new ArrayList<>();
        Optional<Instant> due = timers.dueAt(workspace, profileId);
        for (int step = 0; due.isPresent() && due.get().isBefore(now) && step < MAX_CATCH_UP; step++) {
            changes.addAll(evaluateOnce(workspace, profileId, candidates, due.get(), "time passed"));
            due = timers.dueAt(workspace, profileId);
        }
        changes.addAll(evaluateOnce(workspace, profileId, candidates, now, cause));
        return changes;
    }

    private List<MembershipChange> evaluateOnce(String workspace, String profileId, List<Segment> candidates,
                                                Instant now, String cause) {
        boolean active = states.isActive(workspace, profileId);
        ProfileFacts facts = active ? states.facts(workspace, profileId, Evaluation.inputs(candidates, now)) : null;
        List<Evaluation.Transition> transitions = Evaluation.transitions(profileId, candidates, facts,
                memberships.of(workspace, profileId), now);
        for (Evaluation.Transition t : transitions) {
            if (t.entered()) {
                memberships.enter(workspace, t.segment().id(), profileId, t.sequence(), t.holdout(), now, cause);
            } else {
                memberships.exit(workspace, t.segment().id(), profileId, t.sequence(), now, cause);
            }
        }
        outbox.appendAll(transitions.stream().map(t -> published(workspace, t, now)).toList());
        if (!transitions.isEmpty()) {
            states.nextMembershipVersion(workspace, profileId);
        }
        timers.schedule(workspace, profileId, active ? Evaluation.nextFlip(candidates, facts, now) : Optional.empty());
        return transitions.stream().map(Evaluation.Transition::change).toList();
    }

    /** Exits every member of a segment that is being deleted; returns the profiles that exited. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> exitAll(String workspace, Segment segment, String cause) {
        Instant now = clock.instant();
        List<String> members = memberships.members(workspace, segment.id());
        for (String profileId : members) {
            states.lock(workspace, profileId);
            Memberships.State state = memberships.of(workspace, profileId).get(segment.id());
            long sequence = state.sequence() + 1;
            memberships.exit(workspace, segment.id(), profileId, sequence, now, cause);
            outbox.appendAll(List.of(published(workspace,
                    new Evaluation.Transition(segment, profileId, false, sequence, state.holdout()), now)));
            states.nextMembershipVersion(workspace, profileId);
        }
        return members;
    }

    /** The change as published on {@code satsuma.memberships.v1}, keyed by profile. */
    static Outbox.Message published(String workspace, Evaluation.Transition t, Instant at) {
        return new Outbox.Message(Topic.MEMBERSHIPS.topicName(), t.profileId(), CloudEvents.TYPE_MEMBERSHIP_CHANGED,
                workspace, at, new MembershipChanged(t.segment().id(), t.segment().name(), t.profileId(),
                t.entered() ? MembershipChanged.ENTERED : MembershipChanged.EXITED, at, t.holdout(), t.sequence()));
    }
}
