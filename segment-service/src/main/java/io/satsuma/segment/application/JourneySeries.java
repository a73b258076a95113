package io.satsuma.segment.application;

import io.satsuma.segment.domain.Condition;
import io.satsuma.segment.domain.JourneyJob;
import io.satsuma.segment.domain.JourneyJobs;
import io.satsuma.segment.domain.PointInTime;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileScans;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A journey series over every profile of a workspace as a job (the synchronous {@code journey/series} stops at
 * {@link InspectMemberships#PREVIEW_LIMIT} profiles): started with its stages' current versions, run a page per
 * transaction — the page's profiles counted into the stored counts and the cursor moved together, so a job
 * resumed after a crash counts nobody twice — and read back with its progress and, once done, its matrices.
 * A stage edited while the job runs fails it: its counts would mix two definitions.
 */
@ApplicationScoped
public class JourneySeries {
    static final int PAGE = 500;

    private final InspectMemberships inspect;
    private final JourneyJobs jobs;
    private final Segments segments;
    private final ProfileScans scans;
    private final ProfileStates states;
    private final Event<JobStarted> started;
    private final Clock clock;

    JourneySeries(InspectMemberships inspect, JourneyJobs jobs, Segments segments, ProfileScans scans,
                  ProfileStates states, Event<JobStarted> started, Clock clock) {
        this.inspect = inspect;
        this.jobs = jobs;
        this.segments = segments;
        this.scans = scans;
        this.states = states;
        this.started = started;
        this.clock = clock;
    }

    /** Fired when a job is recorded, so that a runner can start it once the transaction has committed. */
    public record JobStarted(String jobId) {
    }

    @Transactional
    public JourneyJob start(String workspace, List<String> segmentIds, List<Instant> boundaries) {
        InspectMemberships.JourneyPlan plan = inspect.plan(workspace, segmentIds, boundaries);
        int size = plan.stages().size() + 1;
        Instant now = clock.instant();
        JourneyJob job = new JourneyJob(UUID.randomUUID().toString(), workspace,
                plan.stages().stream().map(s -> new JourneyJob.Stage(s.id(), s.version())).toList(), plan.instants(),
                JourneyJob.RUNNING, scans.countActive(workspace), 0, "", new long[plan.instants().size() - 1][size][size],
                null, now, now, null);
        jobs.add(job);
        started.fire(new JobStarted(job.id()));
        return job;
    }

    public JourneyJob get(String workspace, String jobId) {
        return jobs.find(workspace, jobId).orElseThrow(() -> new NotFound("no journey job " + jobId + " in this workspace"));
    }

    /** The job's matrices, one per period (complete once the job is done). */
    public List<InspectMemberships.Journey> journeys(JourneyJob job) {
        return InspectMemberships.journeysOf(job.stages().stream().map(JourneyJob.Stage::segmentId).toList(),
                job.boundaries(), job.counts(), job.done(), JourneyJob.DONE.equals(job.status()));
    }

    public List<String> running() {
        return jobs.running();
    }

    /** Counts one page of the job; false when it is finished or another worker holds it. */
    @Transactional
    public boolean runPage(String jobId) {
        Optional<JourneyJob> locked = jobs.lockRunning(jobId);
        if (locked.isEmpty()) {
            return false;
        }
        JourneyJob job = locked.get();
        List<Condition> stages = new ArrayList<>();
        for (JourneyJob.Stage stage : job.stages()) {
            Optional<Segment> segment = segments.find(job.workspace(), stage.segmentId());
            if (segment.isEmpty() || segment.get().version() != stage.version()) {
                jobs.finish(jobId, JourneyJob.FAILED, "stage " + stage.segmentId() + " was edited or deleted while the "
                        + "job ran; start it again", clock.instant());
                return false;
            }
            stages.add(segment.get().condition());
        }
        List<String> page = scans.profileIds(job.workspace(), job.cursor(), PAGE);
        if (page.isEmpty()) {
            jobs.finish(jobId, JourneyJob.DONE, null, clock.instant());
            return false;
        }
        long[][][] counts = job.counts();
        // A profile merged away since the page was listed is absent: it is no longer one of the active ones.
        for (ProfileFacts facts : states.factsOfActive(job.workspace(), page,
                PointInTime.inputs(stages, job.boundaries().get(0))).values()) {
            InspectMemberships.countStages(counts, stages, job.boundaries(), facts);
        }
        jobs.advance(jobId, page.get(page.size() - 1), page.size(), counts, clock.instant());
        return true;
    }
}
