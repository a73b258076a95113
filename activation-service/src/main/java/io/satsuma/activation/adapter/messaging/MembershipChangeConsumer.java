package io.satsuma.activation.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.application.PlanDeliveries;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.support.kafka.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code satsuma.memberships.v1}; planning is idempotent on the change's {@code ce_id}. */
@ApplicationScoped
class MembershipChangeConsumer {
    private final PlanDeliveries plan;
    private final ObjectMapper json;

    MembershipChangeConsumer(PlanDeliveries plan, ObjectMapper json) {
        this.plan = plan;
        this.json = json;
    }

    @Incoming("memberships-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecord<String, String> record) throws Exception {
        String workspace = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE);
        String changeId = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_ID);
        plan.onMembershipChange(workspace, changeId, json.readValue(record.value(), MembershipChanged.class));
    }
}
