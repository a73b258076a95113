package io.satsuma.profile.adapter.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.profile.domain.RawEvents;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.SatsumaProducer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Appends accepted events to {@code satsuma.events.v1}, keyed by their first identifier. */
@ApplicationScoped
class KafkaRawEvents implements RawEvents {
    private static final String SOURCE = "/satsuma/profile-service/ingestion";

    private final SatsumaProducer producer;
    private final ObjectMapper json;

    KafkaRawEvents(SatsumaProducer producer, ObjectMapper json) {
        this.producer = producer;
        this.json = json;
    }

    @Override
    public CompletionStage<Void> append(String workspace, List<IngestedEvent> events) {
        CompletableFuture<?>[] sends = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            IngestedEvent event = events.get(i);
            String key = event.userId() != null ? event.userId() : event.anonymousId();
            sends[i] = producer.send(CloudEventRecords.record(Topic.EVENTS.topicName(), key, event.messageId(),
                    CloudEvents.TYPE_EVENT_INGESTED, SOURCE, event.receivedAt(), workspace, write(event)));
        }
        return CompletableFuture.allOf(sends);
    }

    private String write(IngestedEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event is not serialisable", e);
        }
    }
}
