package io.satsuma.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
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

    /** An event to append; see {@link #appendAll}. A null {@code ceId} gets a random one. */
    public record Message(String topic, String key, String ceId, String ceType, String workspace, Instant time,
                          Object payload) {
        public Message(String topic, String key, String ceType, String workspace, Instant time, Object payload) {
            this(topic, key, null, ceType, workspace, time, payload);
        }
    }

    /** Appends many events in one statement (bulk jobs), in list order; must run inside the state change's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        int n = messages.size();
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] ids = new String[n];
        String[] types = new String[n];
        String[] times = new String[n];
        String[] workspaces = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Message m = messages.get(i);
            topics[i] = m.topic();
            keys[i] = m.key();
            ids[i] = m.ceId() == null ? UUID.randomUUID().toString() : m.ceId();
            types[i] = m.ceType();
            times[i] = m.time().toString();
            workspaces[i] = m.workspace();
            try {
                payloads[i] = m.payload() == null ? null : json.writeValueAsString(m.payload());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("event payload is not serialisable: " + m.payload().getClass(), e);
            }
        }
        // WITH ORDINALITY keeps the ids (and so the publishing order) in list order.
        sql.update("""
                INSERT INTO outbox (topic, record_key, ce_id, ce_type, ce_time, workspace, payload)
                SELECT topic, record_key, ce_id, ce_type, ce_time, workspace, payload
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                     WITH ORDINALITY AS m(topic, record_key, ce_id, ce_type, ce_time, workspace, payload, position)
                ORDER BY position""", topics, keys, ids, types, times, workspaces, payloads);
        relay.wakeUp();
    }
}
