package io.satsuma.profile.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.profile.application.RecordBatch;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.PollHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code satsuma.events.v1} through the {@link ConsumerPipeline}: a poll (up to
 * {@code max.poll.records}) is recorded in one transaction (ADR 008), transient failures are retried, and a
 * record that fails on its own goes to {@code satsuma.events.v1.dlq}. Recording ignores a message id it already
 * stored: at-least-once delivery, exactly-once effect.
 */
@ApplicationScoped
class IngestedEventConsumer implements PollHandler<RecordBatch.Ingested> {
    static final String CHANNEL = "events-in";

    private final ConsumerPipeline pipeline;
    private final RecordBatch recordBatch;
    private final ObjectMapper json;

    IngestedEventConsumer(ConsumerPipeline pipeline, RecordBatch recordBatch, ObjectMapper json) {
        this.pipeline = pipeline;
        this.recordBatch = recordBatch;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    void consume(ConsumerRecords<String, String> poll) throws InterruptedException {
        pipeline.consume(this, poll);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public RecordBatch.Ingested decode(ConsumerRecord<String, String> record) throws Exception {
        return new RecordBatch.Ingested(CloudEventRecords.requiredWorkspace(record),
                json.readValue(record.value(), IngestedEvent.class));
    }

    @Override
    public void handle(List<RecordBatch.Ingested> events) {
        recordBatch.recordAll(events);
    }
}
