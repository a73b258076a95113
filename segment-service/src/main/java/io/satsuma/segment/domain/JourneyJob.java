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
        Instant end = finishedAt != null ? finishedAt : now;
        return done / (Math.max(Duration.between(startedAt, end).toMillis(), 1) / 1000.0);
    }

    /** Estimated time to completion at the current rate; zero when finished, null when unknown. */
    public Duration eta(Instant now) {
        if (!RUNNING.equals(status)) {
            return Duration.ZERO;
        }
        double rate = ratePerSecond(now);
        return rate <= 0 ? null : Duration.ofMillis((long) (Math.max(total - done, 0) / rate * 1000));
    }
}
