package io.satsuma.activation.domain;

import java.time.Instant;

/** Where a sync stands: delivered, dead-lettered, waiting, how far behind, and the last error. */
public record SyncStatus(String syncId, long sent, long failed, long pending, Instant oldestPendingSince,
                         String lastError) {
}
