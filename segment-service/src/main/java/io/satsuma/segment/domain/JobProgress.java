package io.satsuma.segment.domain;

import java.time.Duration;
import java.time.Instant;

/** The rate and estimated time to completion of a job that works through profiles (backfills, journey series). */
final class JobProgress {
    private JobProgress() {
    }

    /** Profiles per second since the start (or over the whole run once finished). */
    static double ratePerSecond(long done, Instant startedAt, Instant finishedAt, Instant now) {
        Instant end = finishedAt != null ? finishedAt : now;
        return done / (Math.max(Duration.between(startedAt, end).toMillis(), 1) / 1000.0);
    }

    /** Time to completion at the current rate; zero when not running, null when unknown. */
    static Duration eta(boolean running, long total, long done, double ratePerSecond) {
        if (!running) {
            return Duration.ZERO;
        }
        return ratePerSecond <= 0 ? null : Duration.ofMillis((long) (Math.max(total - done, 0) / ratePerSecond * 1000));
    }
}
