package io.satsuma.support.outbox;

import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Idempotent-consumer bookkeeping: a consumer records each message id it handled in the same
 * transaction as the handling, and skips an id it has seen (Kafka redelivers after a crash).
 * Table: {@code processed_message(consumer, message_id, processed_at)}.
 */
@ApplicationScoped
public class ProcessedMessages {
    private final Sql sql;

    ProcessedMessages(Sql sql) {
        this.sql = sql;
    }

    /** True the first time {@code consumer} sees {@code messageId}; false for a redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String messageId) {
        return sql.update("""
                INSERT INTO processed_message (consumer, message_id) VALUES (?, ?)
                ON CONFLICT DO NOTHING""", consumer, messageId) == 1;
    }
}
