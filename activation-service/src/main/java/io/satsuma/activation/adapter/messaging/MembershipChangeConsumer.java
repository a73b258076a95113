package io.satsuma.activation.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.application.PlanDeliveries;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.PollHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code satsuma.memberships.v1} through the {@link ConsumerPipeline}; planning is idempotent on {@code ce_id}. */
@ApplicationScoped
class MembershipChangeConsumer implements PollHandler<PlanDeliveries.Change> {
    private final ConsumerPipeline pipeline;
    private final PlanDeliveries plan;
    private final ObjectMapper json;

    MembershipChangeConsumer(ConsumerPipeline pipeline, PlanDeliveries plan, ObjectMapper json) {
        this.pipeline = pipeline;
        this.plan = plan;
        this.json = json;
    }

    @Incoming("memberships-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecords<String, String> poll) throws InterruptedException {
        pipeline.consume(this, poll);
    }

    @Override
    public String channel() {
        return "memberships-in";
    }

    @Override
    public PlanDeliveries.Change decode(ConsumerRecord<String, String> record) throws Exception {
        return new PlanDeliveries.Change(CloudEventRecords.requiredWorkspace(record),
                CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_ID),
                json.readValue(record.value(), MembershipChanged.class));
    }

    @Override
    public void handle(List<PlanDeliveries.Change> changes) {
        plan.onMembershipChanges(changes);
    }
}
