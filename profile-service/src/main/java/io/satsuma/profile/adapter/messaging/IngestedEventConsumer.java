package io.satsuma.profile.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.ProfileCommand;
import io.satsuma.profile.application.RecordPoll;
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
 * Consumes {@code satsuma.events.v1} (ingested events, and the channels' profile commands) through the
 * {@link ConsumerPipeline}: a poll (up to {@code max.poll.records}) is recorded in one transaction (ADR 008), transient failures are retried, and a
 * record that fails on its own goes to {@code satsuma.events.v1.dlq}. Recording ignores a message id it already
 * stored: at-least-once delivery, exactly-once effect.
 */
@ApplicationScoped
class IngestedEventConsumer implements PollHandler<RecordPoll.Incoming> {
    static final String CHANNEL = "events-in";

    private final ConsumerPipeline pipeline;
    private final RecordPoll record;
    private final ObjectMapper json;

    IngestedEventConsumer(ConsumerPipeline pipeline, RecordPoll record, ObjectMapper json) {
        this.pipeline = pipeline;
        this.record = record;
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

    /** An ingested event, or (ce_type {@code io.satsuma.profile.command.v1}) a channel's command. */
    @Override
    public RecordPoll.Incoming decode(ConsumerRecord<String, String> consumed) throws Exception {
        String workspace = CloudEventRecords.requiredWorkspace(consumed);
        if (CloudEvents.TYPE_PROFILE_COMMAND.equals(CloudEventRecords.header(consumed, CloudEvents.HEADER_TYPE))) {
            return new RecordPoll.Command(workspace, json.readValue(consumed.value(), ProfileCommand.class));
        }
        return new RecordPoll.Event(workspace, json.readValue(consumed.value(), IngestedEvent.class));
    }

    @Override
    public void handle(List<RecordPoll.Incoming> poll) {
        record.record(poll);
    }
}
