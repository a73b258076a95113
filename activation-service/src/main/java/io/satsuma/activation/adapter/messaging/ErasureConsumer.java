package io.satsuma.activation.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.application.ForgetPeople;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.support.kafka.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads {@code satsuma.profile-events.v1} for erasure markers only; deleting twice is harmless. */
@ApplicationScoped
class ErasureConsumer {
    private final ForgetPeople forget;
    private final ObjectMapper json;

    ErasureConsumer(ForgetPeople forget, ObjectMapper json) {
        this.forget = forget;
        this.json = json;
    }

    @Incoming("profile-events-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecord<String, String> record) throws Exception {
        if (!CloudEvents.TYPE_PROFILE_ERASED.equals(CloudEventRecords.header(record, CloudEvents.HEADER_TYPE))) {
            return;
        }
        ProfileErased erased = json.readValue(record.value(), ProfileErased.class);
        forget.forget(CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE), erased.profileId());
    }
}
