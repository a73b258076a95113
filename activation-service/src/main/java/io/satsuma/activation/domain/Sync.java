package io.satsuma.activation.domain;

import java.time.Instant;

/**
 * One segment synced to one destination: mirrored as a list, or a message per change ({@link SyncMode}). A sync is
 * {@code PAUSED} when its destination refused the credentials; {@code pausedReason} says why, and it resumes when
 * the credentials are replaced or on request.
 */
public record Sync(String id, String workspace, String segmentId, String destinationId, SyncMode mode,
                   SyncSettings settings, State state, String pausedReason, Instant createdAt) {

    public enum State {
        ACTIVE, PAUSED
    }

    public boolean paused() {
        return state == State.PAUSED;
    }
}
