package io.satsuma.support.outbox;

/**
 * Idempotent-consumer bookkeeping: a consumer records each message id it handled in the same transaction as
 * the handling, and skips an id it has seen (Kafka redelivers after a crash, operators replay dead letters).
 * Ids older than {@code satsuma.consumer.processed-message-horizon} are pruned ({@link ProcessedMessagePruner}).
 */
public interface ProcessedMessages {

    /** True the first time {@code consumer} sees {@code messageId}; false for a redelivery. */
    boolean firstDelivery(String consumer, String messageId);
}
