package io.satsuma.segment.application;

import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.BackfillJobs;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileScans;
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
 * One page of a backfill, set-based. A range of profiles is narrowed in PostgreSQL to the candidates (those
 * the affected segments could hold now or later, and their current members), which are locked and read
 * with only the traits and events the segments look at; they are evaluated against the segments the job
 * can affect (the segment, its dependents and its exclusion groups), and every entry, exit, published
 * change and timer is written with one statement per table. The page, its changes and its slice's cursor
 * commit together: a crash repeats at most this page, and the repeat finds nothing left to do. Pages of
 * different slices run at once on separate connections: they lock disjoint profiles and their own slice's
 * row, and only share (never lock exclusively) the job's.
 */
@ApplicationScoped
class BackfillPages {
    private final BackfillJobs jobs;
    private final Segments segments;
    private final ProfileStates states;
    private final ProfileScans scans;
    private final Memberships memberships;
    private final Timers timers;
    private final Outbox outbox;
    private final EvaluateMembership evaluate;
    private final MembershipCacheRefresh cacheRefresh;
    private final Clock clock;

    BackfillPages(BackfillJobs jobs, Segments segments, ProfileStates states, ProfileScans scans, Memberships memberships, Timers timers,
                  Outbox outbox, EvaluateMembership evaluate, MembershipCacheRefresh cacheRefresh, Clock clock) {
        this.jobs = jobs;
        this.segments = segments;
        this.states = states;
        this.scans = scans;
        this.memberships = memberships;
        this.timers = timers;
        this.outbox = outbox;
        this.evaluate = evaluate;
        this.cacheRefresh = cacheRefresh;
        this.clock = clock;
    }

    /** What a page did: whether more may follow, and the profiles whose membership changed (for the cache). */
    record Page(boolean more, List<String> changedProfiles) {
        static final Page LAST = new Page(false, List.of());
    }

    /** One page of one slice of the job: empty-handed when the job stopped running or another worker holds the slice. */
    @Transactional
    Page runPage(String jobId, int slice) {
        Optional<BackfillJob> held = jobs.holdRunning(jobId);
        Optional<BackfillJob.Slice> locked = held.isEmpty() ? Optional.empty() : jobs.lockSlice(jobId, slice);
        if (locked.isEmpty()) {
            return Page.LAST;
        }
        BackfillJob job = held.get();
        String workspace = job.workspace();
        Instant now = clock.instant();
        List<Segment> affected = SegmentGraph.affectedBy(job.segmentId(), segments.list(workspace));
        BackfillJob.Slice at = locked.get();
        // The next planned page, else the rest of the slice.
        String upTo = at.nextPageEnd() != null ? at.nextPageEnd() : at.lastProfileId();
        ProfileScans.Range range = affected.isEmpty() ? new ProfileScans.Range(null, 0, List.of())
                : scans.lockRange(workspace, at.cursor(), upTo, affected, Evaluation.inputs(affected, now), now);
        if (range.lastProfileId() == null) {
            if (at.nextPageEnd() == null) {
                jobs.finishSlice(jobId, slice, now);
                return Page.LAST;
            }
            jobs.advance(jobId, slice, at.nextPageEnd(), 0, 0, now); // a planned page left empty
            return new Page(true, List.of());
        }
        List<ProfileFacts> candidates = range.candidates();
        String cause = "backfill of " + job.segmentId() + " v" + job.segmentVersion();
        Map<String, Instant> timersDue = candidates.isEmpty() ? Map.of() : timers.dueAtRange(workspace,
                candidates.get(0).profileId(), candidates.get(candidates.size() - 1).profileId());
        Map<String, Map<String, Memberships.State>> current = memberships.of(workspace,
                affected.stream().map(Segment::id).toList(), candidates.stream().map(ProfileFacts::profileId).toList());

        List<Evaluation.Transition> transitions = new ArrayList<>();
        Map<String, Instant> nextFlips = new HashMap<>();
        Set<String> changed = new LinkedHashSet<>();
        for (ProfileFacts facts : candidates) {
            String profileId = facts.profileId();
            Instant due = timersDue.get(profileId);
            if (due != null && due.isBefore(now)) {
                // A time-driven change not yet swept: the full path records it at its own instant first.
                if (!evaluate.evaluate(workspace, profileId, cause).isEmpty()) {
                    changed.add(profileId);
                }
                continue;
            }
            List<Evaluation.Transition> decided = Evaluation.transitions(profileId, affected, facts,
                    current.getOrDefault(profileId, Map.of()), now);
            if (!decided.isEmpty()) {
                transitions.addAll(decided);
                changed.add(profileId);
            }
            Evaluation.nextFlip(affected, facts, now).ifPresent(t -> nextFlips.put(profileId, t));
        }
        memberships.recordAll(workspace, transitions, now, cause);
        outbox.appendAll(transitions.stream().map(t -> EvaluateMembership.published(workspace, t, now)).toList());
        states.nextMembershipVersions(workspace, transitions.stream().map(Evaluation.Transition::profileId)
                .distinct().toList());
        timers.scheduleNoLaterThan(workspace, nextFlips);
        jobs.advance(jobId, slice, range.lastProfileId(), range.profiles(), changed.size(), now);
        cacheRefresh.memberships(workspace, changed);
        return new Page(true, List.copyOf(changed));
    }

    /** Ends the job if all its slices have finished (whichever worker finished last gets here after its commit). */
    @Transactional
    boolean completeIfFinished(String jobId) {
        return jobs.completeIfFinished(jobId, clock.instant());
    }
}
