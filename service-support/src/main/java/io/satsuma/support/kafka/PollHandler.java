package io.satsuma.support.kafka;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a service's consumer adapter supplies to the {@link ConsumerPipeline}: how to read one record of its
 * channel, and how to handle records in one transaction. Handling must be idempotent (the pipeline redelivers a
 * poll after a transient failure, Kafka after a crash, an operator on replay).
 *
 * @param <T> a record as the use case takes it
 */
public interface PollHandler<T> {

    /** The SmallRye channel ({@code mp.messaging.incoming.<channel>}) this handler consumes. */
    String channel();

    /** Channels this handler replaced: their dead letters are replayed through it. */
    default Set<String> formerChannels() {
        return Set.of();
    }

    /**
     * Reads one record. Returns null for a record this consumer ignores (another event type on a shared topic).
     * Throws for a record that can never be handled (unreadable payload, missing header): it is dead-lettered
     * at once. Use {@link PoisonRecord} to give a reason that may be shown to operators.
     */
    T decode(ConsumerRecord<String, String> record) throws Exception;

    /**
     * Handles records in one transaction: a whole poll, or a single record when the poll failed. Either
     * everything is applied or nothing is.
     */
    void handle(List<T> items);
}
