package io.satsuma.segment.application;

import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.BackfillJobs;
import io.satsuma.segment.domain.ProfileStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** One page of a backfill, in a transaction that holds the job row and advances its cursor. */
@ApplicationScoped
class BackfillPages {
    static final int PAGE = 200;

    private final BackfillJobs jobs;
    private final ProfileStates states;
    private final EvaluateMembership evaluate;
    private final QueryMemberships queries;
    private final Clock clock;

    BackfillPages(BackfillJobs jobs, ProfileStates states, EvaluateMembership evaluate, QueryMemberships queries,
                  Clock clock) {
        this.jobs = jobs;
        this.states = states;
        this.evaluate = evaluate;
        this.queries = queries;
        this.clock = clock;
    }

    /** @return whether there may be more pages */
    @Transactional
    boolean runPage(String jobId) {
        Optional<BackfillJob> locked = jobs.lockRunning(jobId);
        if (locked.isEmpty()) {
            return false;
        }
        BackfillJob job = locked.get();
        List<String> page = states.profileIds(job.workspace(), job.cursor(), PAGE);
        if (page.isEmpty()) {
            jobs.finish(jobId, BackfillJob.DONE, clock.instant());
            return false;
        }
        long changed = 0;
        for (String profileId : page) {
            // Each profile commits on its own (REQUIRES_NEW): a crash re-evaluates at most this page, idempotently.
            if (!evaluate.evaluateAlone(job.workspace(), profileId, "backfill of " + job.segmentId() + " v"
                    + job.segmentVersion()).isEmpty()) {
                queries.refresh(job.workspace(), List.of(profileId));
                changed++;
            }
        }
        jobs.advance(jobId, page.get(page.size() - 1), page.size(), changed, clock.instant());
        return true;
    }
}
