package io.satsuma.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.tracing.TraceContext;
import io.satsuma.support.transaction.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@link Outbox} as rows of the service's {@code outbox} table (defined once, in service-support's
 * {@code db/support} migrations), in the caller's transaction.
 */
@ApplicationScoped
class JdbcOutbox implements Outbox {
    private final Sql sql;
    private final ObjectMapper json;
    private final OutboxRelay relay;
    private final AfterCommit afterCommit;

    JdbcOutbox(Sql sql, ObjectMapper json, OutboxRelay relay, AfterCommit afterCommit) {
        this.sql = sql;
        this.json = json;
        this.relay = relay;
        this.afterCommit = afterCommit;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public String append(String topic, String key, String ceType, String workspace, Instant time, Object payload) {
        String ceId = UUID.randomUUID().toString();
        appendAll(List.of(new Message(topic, key, ceId, ceType, workspace, time, payload)));
        return ceId;
    }

    @Override
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
            payloads[i] = m.payload() == null ? null : write(m.payload());
        }
        // WITH ORDINALITY keeps the ids (and so the publishing order) in list order. The events continue the trace
        // they were written in (the request's, or the consumed record's).
        sql.update("""
                INSERT INTO outbox (topic, record_key, ce_id, ce_type, ce_time, workspace, payload, trace_parent)
                SELECT topic, record_key, ce_id, ce_type, ce_time, workspace, payload, ?::text
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                     WITH ORDINALITY AS m(topic, record_key, ce_id, ce_type, ce_time, workspace, payload, position)
                ORDER BY position""", TraceContext.current(), topics, keys, ids, types, times, workspaces, payloads);
        // Not before the commit: woken now, the relay would find nothing yet and sleep its idle poll.
        afterCommit.run(relay::wakeUp);
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not serialisable: " + payload.getClass().getSimpleName(), e);
        }
    }
}
