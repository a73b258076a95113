package io.satsuma.support.outbox;

import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** {@link ProcessedMessages} in the service's {@code processed_message} table, in the handler's transaction. */
@ApplicationScoped
class JdbcProcessedMessages implements ProcessedMessages {
    private final Sql sql;

    JdbcProcessedMessages(Sql sql) {
        this.sql = sql;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String messageId) {
        return sql.update("""
                INSERT INTO processed_message (consumer, message_id) VALUES (?, ?)
                ON CONFLICT DO NOTHING""", consumer, messageId) == 1;
    }
}
