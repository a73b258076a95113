package io.satsuma.segment.application;

import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.BackfillJobs;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentGraph;
import io.satsuma.segment.domain.Segments;
import io.satsuma.segment.domain.Timers;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One page of a backfill, set-based: the page's profiles are locked and loaded with three queries,
 * evaluated against the segments the job can affect (the segment, its dependents and its exclusion
 * groups), and every resulting entry, exit, published change and timer is written with one statement
 * per table. The page, its changes and the job's cursor commit together: a crash repeats at most this
 * page, and the repeat finds nothing left to change.
 */
@ApplicationScoped
class BackfillPages {
    static final int PAGE = 5_000;

    private final BackfillJobs jobs;
    private final Segments segments;
    private final ProfileStates states;
    private final Memberships memberships;
    private final Timers timers;
    private final Outbox outbox;
    private final EvaluateMembership evaluate;
    private final Clock clock;

    BackfillPages(BackfillJobs jobs, Segments segments, ProfileStates states, Memberships memberships, Timers timers,
                  Outbox outbox, EvaluateMembership evaluate, Clock clock) {
        this.jobs = jobs;
        this.segments = segments;
        this.states = states;
        this.memberships = memberships;
        this.timers = timers;
        this.outbox = outbox;
        this.evaluate = evaluate;
        this.clock = clock;
    }

    /** What a page did: whether more may follow, and the profiles whose membership changed (for the cache). */
    record Page(boolean more, List<String> changedProfiles) {
        static final Page LAST = new Page(false, List.of());
    }

    @Transactional
    Page runPage(String jobId) {
        Optional<BackfillJob> locked = jobs.lockRunning(jobId);
        if (locked.isEmpty()) {
            return Page.LAST;
        }
        BackfillJob job = locked.get();
        String workspace = job.workspace();
        Instant now = clock.instant();
        List<Segment> affected = SegmentGraph.affectedBy(job.segmentId(), segments.list(workspace));
        List<ProfileFacts> page = affected.isEmpty() ? List.of() : states.lockActivePage(workspace, job.cursor(), PAGE,
                Evaluation.eventsSince(affected, now), Evaluation.eventNames(affected));
        if (page.isEmpty()) {
            jobs.finish(jobId, BackfillJob.DONE, now);
            return Page.LAST;
        }
        String first = page.get(0).profileId();
        String last = page.get(page.size() - 1).profileId();
        Map<String, Map<String, Memberships.State>> current = memberships.ofRange(workspace,
                affected.stream().map(Segment::id).toList(), first, last);
        Map<String, Instant> timersDue = timers.dueAtRange(workspace, first, last);
        String cause = "backfill of " + job.segmentId() + " v" + job.segmentVersion();

        List<Evaluation.Transition> transitions = new ArrayList<>();
        Map<String, Instant> nextFlips = new HashMap<>();
        List<String> behindTheClock = new ArrayList<>();
        for (ProfileFacts facts : page) {
            String profileId = facts.profileId();
            Instant due = timersDue.get(profileId);
            if (due != null && due.isBefore(now)) {
                // A time-driven change not yet swept: the full path records it at its own instant first.
                behindTheClock.add(profileId);
                continue;
            }
            transitions.addAll(Evaluation.transitions(profileId, affected, facts,
                    current.getOrDefault(profileId, Map.of()), now));
            Evaluation.nextFlip(affected, facts, now).ifPresent(t -> nextFlips.put(profileId, t));
        }
        Set<String> changed = new LinkedHashSet<>();
        transitions.forEach(t -> changed.add(t.profileId()));
        memberships.recordAll(workspace, transitions, now, cause);
        outbox.appendAll(transitions.stream().map(t -> EvaluateMembership.published(workspace, t, now)).toList());
        states.nextMembershipVersions(workspace, changed);
        timers.scheduleNoLaterThan(workspace, nextFlips);
        for (String profileId : behindTheClock) {
            if (!evaluate.evaluate(workspace, profileId, cause).isEmpty()) {
                changed.add(profileId);
            }
        }
        jobs.advance(jobId, last, page.size(), changed.size(), now);
        return new Page(true, List.copyOf(changed));
    }
}
