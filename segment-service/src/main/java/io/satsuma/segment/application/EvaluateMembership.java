package io.satsuma.segment.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.segment.domain.Condition;
import io.satsuma.segment.domain.Holdouts;
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
import java.util.Map;
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
    private final Clock clock;

    EvaluateMembership(Segments segments, ProfileStates states, Memberships memberships, Timers timers, Outbox outbox,
                       Clock clock) {
        this.segments = segments;
        this.states = states;
        this.memberships = memberships;
        this.timers = timers;
        this.outbox = outbox;
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
        return evaluate(workspace, profileId, segments.list(workspace), dueAt, "time passed");
    }

    /** Locks and evaluates one profile in a transaction of its own (backfills). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<MembershipChange> evaluateAlone(String workspace, String profileId, String cause) {
        states.lock(workspace, profileId);
        return evaluate(workspace, profileId, cause);
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
        Instant since = candidates.stream().map(s -> s.condition().relevantSince(now)).min(Instant::compareTo)
                .orElse(now);
        ProfileFacts facts = active ? states.facts(workspace, profileId, since) : null;
        Map<String, Memberships.State> current = memberships.of(workspace, profileId);

        List<MembershipChange> changes = new ArrayList<>();
        for (Segment segment : candidates) {
            Condition condition = segment.condition();
            boolean matches = active && condition.matches(facts, now);
            Memberships.State state = current.get(segment.id());
            MembershipChange change = MembershipChange.decide(segment.id(), state != null && state.member(), matches);
            long sequence = (state == null ? 0 : state.sequence()) + 1;
            if (change instanceof MembershipChange.Entered) {
                boolean holdout = Holdouts.isHeldOut(segment.id(), profileId, segment.holdoutPercent());
                memberships.enter(workspace, segment.id(), profileId, sequence, holdout, now, cause);
                publish(workspace, segment, profileId, MembershipChanged.ENTERED, now, sequence, holdout);
                changes.add(change);
            } else if (change instanceof MembershipChange.Exited) {
                memberships.exit(workspace, segment.id(), profileId, sequence, now, cause);
                publish(workspace, segment, profileId, MembershipChanged.EXITED, now, sequence, state.holdout());
                changes.add(change);
            }
        }
        if (!changes.isEmpty()) {
            states.nextMembershipVersion(workspace, profileId);
        }
        timers.schedule(workspace, profileId, active ? nextFlip(candidates, facts, now) : Optional.empty());
        return changes;
    }

    private static Optional<Instant> nextFlip(List<Segment> candidates, ProfileFacts facts, Instant now) {
        return candidates.stream().map(s -> s.condition().nextFlip(facts, now)).flatMap(Optional::stream)
                .min(Instant::compareTo);
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
            publish(workspace, segment, profileId, MembershipChanged.EXITED, now, sequence, state.holdout());
            states.nextMembershipVersion(workspace, profileId);
        }
        return members;
    }

    private void publish(String workspace, Segment segment, String profileId, String change, Instant at, long sequence,
                         boolean holdout) {
        outbox.append(Topic.MEMBERSHIPS.topicName(), profileId, CloudEvents.TYPE_MEMBERSHIP_CHANGED, workspace, at,
                new MembershipChanged(segment.id(), segment.name(), profileId, change, at, holdout, sequence));
    }
}
