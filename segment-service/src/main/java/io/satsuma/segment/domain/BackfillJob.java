package io.satsuma.segment.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The evaluation of one segment version over all profiles of its workspace, page by page.
 * {@code cursor} is the last profile id done (profiles are visited in id order).
 */
public record BackfillJob(String id, String workspace, String segmentId, long segmentVersion, String status,
                          long total, long done, long changed, String cursor, Instant startedAt, Instant updatedAt,
                          Instant finishedAt) {

    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String CANCELLED = "CANCELLED";

    /** Profiles evaluated per second since the start (or over the whole run once finished). */
    public double ratePerSecond(Instant now) {
        return JobProgress.ratePerSecond(done, startedAt, finishedAt, now);
    }

    /** Estimated time to completion at the current rate; zero when finished, null when unknown. */
    public Duration eta(Instant now) {
        return JobProgress.eta(RUNNING.equals(status), total, done, ratePerSecond(now));
    }
}
