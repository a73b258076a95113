package io.satsuma.insights.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.insights.application.RollUpMemberships;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.PollHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code satsuma.memberships.v1} through the {@link ConsumerPipeline}; each {@code ce_id} is counted once. */
@ApplicationScoped
class MembershipChangeConsumer implements PollHandler<RollUpMemberships.Change> {
    private final ConsumerPipeline pipeline;
    private final RollUpMemberships rollUp;
    private final ObjectMapper json;

    MembershipChangeConsumer(ConsumerPipeline pipeline, RollUpMemberships rollUp, ObjectMapper json) {
        this.pipeline = pipeline;
        this.rollUp = rollUp;
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
    public RollUpMemberships.Change decode(ConsumerRecord<String, String> record) throws Exception {
        return new RollUpMemberships.Change(CloudEventRecords.requiredWorkspace(record),
                CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_ID),
                json.readValue(record.value(), MembershipChanged.class));
    }

    @Override
    public void handle(List<RollUpMemberships.Change> changes) {
        rollUp.onMembershipChanges(changes);
    }
}
