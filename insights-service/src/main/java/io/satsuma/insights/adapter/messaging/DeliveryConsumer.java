package io.satsuma.insights.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.delivery.v1.DeliveryCompleted;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.insights.application.MeasureSegments;
import io.satsuma.insights.domain.Delivery;
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
 * Consumes {@code satsuma.deliveries.v1} through the {@link ConsumerPipeline}: an entry delivered (SENT) is a touch of
 * its sync; failed deliveries and exits (removals from an audience) are skipped.
 */
@ApplicationScoped
class DeliveryConsumer implements PollHandler<MeasureSegments.IncomingDelivery> {
    private final ConsumerPipeline pipeline;
    private final MeasureSegments measure;
    private final ObjectMapper json;

    DeliveryConsumer(ConsumerPipeline pipeline, MeasureSegments measure, ObjectMapper json) {
        this.pipeline = pipeline;
        this.measure = measure;
        this.json = json;
    }

    @Incoming("deliveries-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecords<String, String> poll) throws InterruptedException {
        pipeline.consume(this, poll);
    }

    @Override
    public String channel() {
        return "deliveries-in";
    }

    @Override
    public MeasureSegments.IncomingDelivery decode(ConsumerRecord<String, String> record) throws Exception {
        DeliveryCompleted d = json.readValue(record.value(), DeliveryCompleted.class);
        if (!DeliveryCompleted.SENT.equals(d.status()) || !MembershipChanged.ENTERED.equals(d.change())) {
            return null;
        }
        return new MeasureSegments.IncomingDelivery(CloudEventRecords.requiredWorkspace(record),
                new Delivery(d.deliveryId(), d.syncId(), d.profileId(), d.at()));
    }

    @Override
    public void handle(List<MeasureSegments.IncomingDelivery> deliveries) {
        measure.onDeliveries(deliveries);
    }
}
