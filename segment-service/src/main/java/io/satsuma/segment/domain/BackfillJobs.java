package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Backfill jobs, their slices and their progress. */
public interface BackfillJobs {
    /** Records a job and its slices, in id order (each starts after the previous one's last id). */
    void add(BackfillJob job, List<BackfillJob.SlicePlan> slices);

    /** Running jobs, oldest first. */
    List<BackfillJob> running();

    /** A running job, held for one page of work: a cancellation waits until the page commits. Empty once it is not running. */
    Optional<BackfillJob> holdRunning(String jobId);

    /** The numbers of the job's slices not finished yet. */
    List<Integer> unfinishedSlices(String jobId);

    /** Locks an unfinished slice for one page of work, unless another worker holds it (then empty). */
    Optional<BackfillJob.Slice> lockSlice(String jobId, int slice);

    void advance(String jobId, int slice, String cursor, long pageSize, long changed, Instant at);

    void finishSlice(String jobId, int slice, Instant at);

    /** Marks a running job DONE if every slice of it has finished; whether it did. */
    boolean completeIfFinished(String jobId, Instant at);

    /** Stops the running jobs of a segment (it was edited again or deleted). */
    void cancelRunning(String workspace, String segmentId, Instant at);

    Optional<BackfillJob> latest(String workspace, String segmentId);
}
