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

    /**
     * Takes or renews the sync's lease for {@code owner} until {@code until}: false while another instance holds an
     * unexpired one. The holder alone works the sync's audience.
     */
    boolean lease(String syncId, String owner, Instant until);

    void releaseLease(String syncId, String owner);

    /** Pauses every active sync of the destination with the reason; returns how many. */
    int pauseDestination(String destinationId, String reason);

    /** Resumes the sync (or every sync of a destination when {@code syncId} is null). */
    int resume(String destinationId, String syncId);

    /**
     * A full upload of {@code total} people starts now: the segment's members, then (a resync) the people the ledger
     * holds that the segment no longer has.
     */
    void startUpload(String syncId, long total, UploadPhase firstPhase, boolean thenLedger, Instant at);

    /** The upload went past {@code cursor} in {@code phase} ({@code null}: finished) with {@code pages} more pages. */
    void advanceUpload(String syncId, UploadPhase phase, String cursor, long done);

    /** Where a full upload is: which people it walks, and the last profile id done. */
    enum UploadPhase {
        MEMBERS, MEMBERS_THEN_LEDGER, LEDGER
    }

    Progress progress(String syncId);

    /** Adds to the sync's counters of people added or removed and of people given up on, with the last error. */
    void count(String syncId, long sent, long failed, String lastError, Instant at);

    /**
     * An audience sync's counters (people added or removed, people given up on, the last error) and its full upload
     * ({@code uploadStartedAt} null when none ran).
     */
    record Progress(long sent, long failed, String lastError, Instant lastErrorAt, long uploadTotal,
                    Instant uploadStartedAt, Instant uploadFinishedAt, int uploadBatches, UploadPhase uploadPhase,
                    String uploadCursor, long uploadDone) {
        public boolean uploading() {
            return uploadStartedAt != null && uploadFinishedAt == null;
        }
    }
}
