package io.satsuma.support.outbox;

import java.time.Instant;
import java.util.List;

/**
 * Transactional outbox: an outgoing event is written in the same database transaction as the state change
 * it announces, and published to Kafka afterwards ({@link OutboxRelay}), so a crash can never keep the state
 * and lose the event, or publish an event whose state was rolled back. Use cases append through this port;
 * their tests use an in-memory one.
 */
public interface Outbox {

    /**
     * Appends an event inside the caller's transaction and returns its {@code ce_id}. A null payload publishes
     * a tombstone (on a compacted topic: the key's state is gone).
     */
    String append(String topic, String key, String ceType, String workspace, Instant time, Object payload);

    /** Appends many events in one statement, in list order, inside the caller's transaction. */
    void appendAll(List<Message> messages);

    /** An event to append. A null {@code ceId} gets a random one. */
    record Message(String topic, String key, String ceId, String ceType, String workspace, Instant time,
                   Object payload) {
        public Message(String topic, String key, String ceType, String workspace, Instant time, Object payload) {
            this(topic, key, null, ceType, workspace, time, payload);
        }
    }
}
