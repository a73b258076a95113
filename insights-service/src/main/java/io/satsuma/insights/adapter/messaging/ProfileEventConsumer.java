package io.satsuma.insights.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.insights.application.MeasureSegments;
import io.satsuma.insights.domain.Fact;
import io.satsuma.insights.domain.OrderLine;
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
 * Consumes {@code satsuma.profile-events.v1} through the {@link ConsumerPipeline}: orders (with their product lines),
 * refunds and email opens and clicks become facts; other events and the merge markers are skipped.
 */
@ApplicationScoped
class ProfileEventConsumer implements PollHandler<MeasureSegments.IncomingFact> {
    private final ConsumerPipeline pipeline;
    private final MeasureSegments measure;
    private final ObjectMapper json;

    ProfileEventConsumer(ConsumerPipeline pipeline, MeasureSegments measure, ObjectMapper json) {
        this.pipeline = pipeline;
        this.measure = measure;
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
    public MeasureSegments.IncomingFact decode(ConsumerRecord<String, String> record) throws Exception {
        if (!CloudEvents.TYPE_PROFILE_EVENT.equals(CloudEventRecords.header(record, CloudEvents.HEADER_TYPE))) {
            return null;
        }
        ProfileEvent event = json.readValue(record.value(), ProfileEvent.class);
        Fact fact = Fact.of(event);
        if (fact == null) {
            return null;
        }
        return new MeasureSegments.IncomingFact(CloudEventRecords.requiredWorkspace(record), fact,
                fact.kind() == Fact.Kind.ORDER ? OrderLine.of(fact, event.properties()) : List.of());
    }

    @Override
    public void handle(List<MeasureSegments.IncomingFact> facts) {
        measure.onFacts(facts);
    }
}
