package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Backfill jobs and their progress. */
public interface BackfillJobs {
    void add(BackfillJob job);

    /** Running jobs, oldest first. */
    List<BackfillJob> running();

    /** Locks a running job for one page of work, unless another worker holds it (then empty). */
    Optional<BackfillJob> lockRunning(String jobId);

    void advance(String jobId, String cursor, long pageSize, long changed, Instant at);

    void finish(String jobId, String status, Instant at);

    /** Stops the running jobs of a segment (it was edited again or deleted). */
    void cancelRunning(String workspace, String segmentId, Instant at);

    Optional<BackfillJob> latest(String workspace, String segmentId);
}
