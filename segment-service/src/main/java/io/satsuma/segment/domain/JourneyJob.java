package io.satsuma.segment.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A journey series evaluated point in time over every profile of a workspace, page by page: {@code counts[p][i][j]}
 * profiles were in stage i at {@code boundaries[p]} and in stage j at {@code boundaries[p + 1]} (the last stage is
 * none). {@code cursor} is the last profile id counted (profiles are visited in id order).
 */
public record JourneyJob(String id, String workspace, List<Stage> stages, List<Instant> boundaries, String status,
                         long total, long done, String cursor, long[][][] counts, String error, Instant startedAt,
                         Instant updatedAt, Instant finishedAt) {

    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    /** A stage: a segment and the version of its definition when the job started. */
    public record Stage(String segmentId, long version) {
    }

    /** Profiles counted per second since the start (or over the whole run once finished). */
    public double ratePerSecond(Instant now) {
        return JobProgress.ratePerSecond(done, startedAt, finishedAt, now);
    }

    /** Estimated time to completion at the current rate; zero when finished, null when unknown. */
    public Duration eta(Instant now) {
        return JobProgress.eta(RUNNING.equals(status), total, done, ratePerSecond(now));
    }
}
