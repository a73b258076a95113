package io.satsuma.segment.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation of one segment version over all profiles of its workspace, page by page. A job runs as
 * {@link Slice}s of the workspace's profile ids, which several workers can take at once; {@code done} and
 * {@code changed} are the sums of its slices'.
 */
public record BackfillJob(String id, String workspace, String segmentId, long segmentVersion, String status,
                          long total, long done, long changed, Instant startedAt, Instant updatedAt,
                          Instant finishedAt) {

    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String CANCELLED = "CANCELLED";

    /** Slices of a large workspace's job: more than one instance's workers, so that a slower slice is not alone at the end. */
    public static final int SLICES = 8;

    /** Below this many active profiles a job is one slice: a backfill that small ends in a page or two anyway. */
    public static final long SLICED_FROM = 20_000;

    /** Profiles per planned page: few of them are read (only the candidates), so pages can be large. */
    public static final int PAGE_PROFILES = 50_000;

    /**
     * Part of a job: the profile ids after the previous slice's last id up to {@code lastProfileId} (null: to
     * the end), visited in id order; {@code cursor} is the last one done, {@code nextPageEnd} the end of the
     * next planned page after it (null when no planned page is left before {@code lastProfileId}).
     */
    public record Slice(String jobId, int number, String lastProfileId, String cursor, String nextPageEnd) {
    }

    /** A slice as planned: its last id (null: to the end) and the ends of its pages before that. */
    public record SlicePlan(String lastProfileId, List<String> pageEnds) {
    }

    /**
     * Groups the pages that {@code pageBounds} (ascending ids, each ending a page; the last page runs to the
     * end) delimit into at most {@code slices} slices of consecutive pages, as even as whole pages allow.
     */
    public static List<SlicePlan> plan(List<String> pageBounds, int slices) {
        int pages = pageBounds.size() + 1;
        int count = Math.min(slices, pages);
        List<SlicePlan> plan = new ArrayList<>();
        int first = 0;
        for (int slice = 0; slice < count; slice++) {
            int end = (int) ((long) pages * (slice + 1) / count); // pages first .. end - 1; page p ends at bound p
            String last = end - 1 < pageBounds.size() ? pageBounds.get(end - 1) : null;
            plan.add(new SlicePlan(last, List.copyOf(pageBounds.subList(first, Math.min(end - 1, pageBounds.size())))));
            first = end;
        }
        return plan;
    }

    /** Profiles evaluated per second since the start (or over the whole run once finished). */
    public double ratePerSecond(Instant now) {
        return JobProgress.ratePerSecond(done, startedAt, finishedAt, now);
    }

    /** Estimated time to completion at the current rate; zero when finished, null when unknown. */
    public Duration eta(Instant now) {
        return JobProgress.eta(RUNNING.equals(status), total, done, ratePerSecond(now));
    }
}
