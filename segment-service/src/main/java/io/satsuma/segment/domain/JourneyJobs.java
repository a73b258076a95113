package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Journey series jobs and their progress. */
public interface JourneyJobs {
    void add(JourneyJob job);

    /** Ids of the running jobs, oldest first. */
    List<String> running();

    /** Locks a running job for one page of work, unless another worker holds it (then empty). */
    Optional<JourneyJob> lockRunning(String jobId);

    /** Stores the counts after one more page, and the cursor that page ended at. */
    void advance(String jobId, String cursor, long pageSize, long[][][] counts, Instant at);

    void finish(String jobId, String status, String error, Instant at);

    Optional<JourneyJob> find(String workspace, String jobId);
}
