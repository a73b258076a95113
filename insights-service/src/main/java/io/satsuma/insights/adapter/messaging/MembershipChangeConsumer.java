package io.satsuma.insights.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.insights.application.RollUpMemberships;
import io.satsuma.support.kafka.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code satsuma.memberships.v1}; each {@code ce_id} is counted once. */
@ApplicationScoped
class MembershipChangeConsumer {
    private final RollUpMemberships rollUp;
    private final ObjectMapper json;

    MembershipChangeConsumer(RollUpMemberships rollUp, ObjectMapper json) {
        this.rollUp = rollUp;
        this.json = json;
    }

    @Incoming("memberships-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecord<String, String> record) throws Exception {
        rollUp.onMembershipChange(CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE),
                CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_ID),
                json.readValue(record.value(), MembershipChanged.class));
    }
}
