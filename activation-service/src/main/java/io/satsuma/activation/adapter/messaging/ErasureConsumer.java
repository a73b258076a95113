package io.satsuma.activation.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.application.ForgetPeople;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.PollHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads {@code satsuma.profile-events.v1} for erasure markers only (others are skipped); forgetting twice is harmless. */
@ApplicationScoped
class ErasureConsumer implements PollHandler<ForgetPeople.Erasure> {
    private final ConsumerPipeline pipeline;
    private final ForgetPeople forget;
    private final ObjectMapper json;

    ErasureConsumer(ConsumerPipeline pipeline, ForgetPeople forget, ObjectMapper json) {
        this.pipeline = pipeline;
        this.forget = forget;
        this.json = json;
    }

    @Incoming("profile-events-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecords<String, String> poll) throws InterruptedException {
        pipeline.consume(this, poll);
    }

    @Override
    public String channel() {
        return "profile-events-in";
    }

    @Override
    public ForgetPeople.Erasure decode(ConsumerRecord<String, String> record) throws Exception {
        if (!CloudEvents.TYPE_PROFILE_ERASED.equals(CloudEventRecords.header(record, CloudEvents.HEADER_TYPE))) {
            return null;
        }
        return new ForgetPeople.Erasure(CloudEventRecords.requiredWorkspace(record),
                json.readValue(record.value(), ProfileErased.class).profileId());
    }

    @Override
    public void handle(List<ForgetPeople.Erasure> erasures) {
        forget.forget(erasures);
    }
}
