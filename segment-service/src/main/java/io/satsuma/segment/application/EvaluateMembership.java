package io.satsuma.segment.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.MembershipChange;
import io.satsuma.segment.domain.Memberships;
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
import java.util.List;
import java.util.Optional;

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
