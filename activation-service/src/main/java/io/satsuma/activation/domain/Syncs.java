package io.satsuma.activation.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Syncs, their pause state and, for audiences, the progress of their full upload and their counters. */
public interface Syncs {
    void add(Sync sync);

    Optional<Sync> find(String workspace, String syncId);

    Optional<Sync> byId(String syncId);

    List<Sync> list(String workspace);

    List<Sync> ofSegment(String workspace, String segmentId);

    List<Sync> ofDestination(String destinationId);

    /** Pauses every active sync of the destination with the reason; returns how many. */
    int pauseDestination(String destinationId, String reason);

    /** Resumes the sync (or every sync of a destination when {@code syncId} is null). */
    int resume(String destinationId, String syncId);

    /** A full upload of {@code total} members starts now (a new sync, or a resync). */
    void startUpload(String syncId, long total, Instant at);

    /** The upload's next batch number (Meta's {@code batch_seq}). */
    int nextUploadBatch(String syncId);

    void finishUpload(String syncId, Instant at);

    Progress progress(String syncId);

    /** Adds to the sync's counters of people added or removed and of people given up on, with the last error. */
    void count(String syncId, long sent, long failed, String lastError, Instant at);

    /**
     * An audience sync's counters (people added or removed, people given up on, the last error) and its full upload
     * ({@code uploadStartedAt} null when none ran).
     */
    record Progress(long sent, long failed, String lastError, Instant lastErrorAt, long uploadTotal,
                    Instant uploadStartedAt, Instant uploadFinishedAt, int uploadBatches) {
        public boolean uploading() {
            return uploadStartedAt != null && uploadFinishedAt == null;
        }
    }
}
