package io.satsuma.segment.application;

import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.BackfillJobs;
import io.satsuma.segment.domain.ProfileScans;
import io.satsuma.segment.domain.Segment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Evaluates a new or edited segment over every profile of its workspace as a job: created in the
 * transaction that saved the definition, run page by page in slices of the profile ids (each page advances
 * its slice's cursor; slices run at once on several connections), resumed after a crash, with progress
 * (done/total, rate, ETA) for the API. Changes are published like any other.
 */
@ApplicationScoped
public class BackfillSegment {
    private static final Logger LOG = Logger.getLogger(BackfillSegment.class);

    private final BackfillJobs jobs;
    private final BackfillPages pages;
    private final ProfileScans scans;
    private final Event<JobStarted> started;
    private final Clock clock;

    BackfillSegment(BackfillJobs jobs, BackfillPages pages, ProfileScans scans,
                    Event<JobStarted> started, Clock clock) {
        this.jobs = jobs;
        this.started = started;
        this.pages = pages;
        this.scans = scans;
        this.clock = clock;
    }

    /** Stops running backfills of the segment; call before taking the definitions lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(String workspace, String segmentId) {
        jobs.cancelRunning(workspace, segmentId, clock.instant());
    }

    /**
     * Records a job for this version of the segment, in the caller's transaction; a large workspace's job is
     * planned in pages, grouped into slices that several workers can run at once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public BackfillJob start(Segment segment) {
        Instant now = clock.instant();
        long total = scans.countActive(segment.workspace());
        List<String> pageBounds = total >= BackfillJob.SLICED_FROM
                ? scans.pageBounds(segment.workspace(), total, BackfillJob.PAGE_PROFILES) : List.of();
        BackfillJob job = new BackfillJob(UUID.randomUUID().toString(), segment.workspace(), segment.id(),
                segment.version(), BackfillJob.RUNNING, total, 0, 0, now, now, null);
        jobs.add(job, BackfillJob.plan(pageBounds, BackfillJob.SLICES));
        started.fire(new JobStarted(job.id()));
        return job;
    }

    /** Fired when a job is recorded; observers that act after the commit can start it without waiting for a poll. */
    public record JobStarted(String jobId) {
    }

    /**
     * Runs every running job to its end: {@code workers} tasks on {@code executor} take its unfinished slices,
     * each starting at a different one and moving on when a slice is finished or held by another worker (of
     * this instance or another), so that every slice keeps one worker until it is done.
     */
    public void runPending(Executor executor, int workers) {
        for (BackfillJob job : jobs.running()) {
            long started = System.nanoTime();
            CompletableFuture.allOf(IntStream.range(0, workers)
                    .mapToObj(worker -> CompletableFuture.runAsync(() -> runSlices(job.id(), worker), executor))
                    .toArray(CompletableFuture[]::new)).join();
            if (pages.completeIfFinished(job.id())) {
                jobs.latest(job.workspace(), job.segmentId()).filter(j -> j.id().equals(job.id()))
                        .ifPresent(j -> LOG.infof("backfill of segment %s v%d: %d profiles evaluated, %d changed, in %d ms",
                                j.segmentId(), j.segmentVersion(), j.done(), j.changed(), (System.nanoTime() - started) / 1_000_000));
            }
        }
    }

    private void runSlices(String jobId, int worker) {
        List<Integer> slices = new ArrayList<>(jobs.unfinishedSlices(jobId));
        Collections.rotate(slices, -worker);
        for (int slice : slices) {
            BackfillPages.Page page;
            do {
                page = pages.runPage(jobId, slice);
            } while (page.more());
        }
    }

    /** A job with its rate (profiles/s) and estimated time to completion (null when unknown). */
    public record Progress(BackfillJob job, double ratePerSecond, Duration eta) {
    }

    public Optional<Progress> progress(String workspace, String segmentId) {
        Instant now = clock.instant();
        return jobs.latest(workspace, segmentId).map(j -> new Progress(j, j.ratePerSecond(now), j.eta(now)));
    }
}
