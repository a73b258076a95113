package io.satsuma.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Transactional outbox: an outgoing event is a row written in the same database transaction as the
 * state change it announces. {@link OutboxRelay} publishes the rows to Kafka afterwards, so a crash
 * can never keep the state and lose the event, or publish an event whose state was rolled back.
 *
 * <p>Every service that publishes has the table:
 * {@code outbox(id bigserial, topic, record_key, ce_id, ce_type, ce_time, workspace, payload)}.
 */
@ApplicationScoped
public class Outbox {
    private final Sql sql;
    private final ObjectMapper json;
    private final OutboxRelay relay;

    Outbox(Sql sql, ObjectMapper json, OutboxRelay relay) {
        this.sql = sql;
        this.json = json;
        this.relay = relay;
    }

    /**
     * Appends an event; must run inside the transaction of the state change. A null payload publishes a
     * tombstone (on a compacted topic: the key's state is gone); the table's payload column must allow it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String append(String topic, String key, String ceType, String workspace, Instant time, Object payload) {
        String ceId = UUID.randomUUID().toString();
        append(topic, key, ceId, ceType, workspace, time, payload);
        return ceId;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, String ceId, String ceType, String workspace, Instant time,
                       Object payload) {
        try {
            sql.update("""
                    INSERT INTO outbox (topic, record_key, ce_id, ce_type, ce_time, workspace, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    topic, key, ceId, ceType, time, workspace, payload == null ? null : json.writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not serialisable: " + payload.getClass(), e);
        }
        relay.wakeUp();
    }
}
