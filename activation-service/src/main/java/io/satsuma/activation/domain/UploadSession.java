package io.satsuma.activation.domain;

/**
 * Groups the batches of one full upload (Meta's {@code session}): an id for the upload, the batch's position, whether
 * it is the last, and the expected total. Incremental changes travel without one.
 */
public record UploadSession(long sessionId, int batchSeq, boolean lastBatch, long estimatedTotal) {
}
