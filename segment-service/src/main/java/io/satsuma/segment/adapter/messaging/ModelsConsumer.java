package io.satsuma.segment.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.model.v1.ModelsFitted;
import io.satsuma.segment.application.ApplyModels;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.PoisonRecord;
import io.satsuma.support.kafka.PollHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes insights-service's {@code satsuma.models.v1} (compacted, keyed by workspace): each workspace's current
 * predictive models, which {@code $predicted.*} traits are scored with.
 */
@ApplicationScoped
class ModelsConsumer implements PollHandler<ModelsFitted> {
    private static final String CHANNEL = "models-in";

    private final ConsumerPipeline pipeline;
    private final ApplyModels apply;
    private final ObjectMapper json;

    ModelsConsumer(ConsumerPipeline pipeline, ApplyModels apply, ObjectMapper json) {
        this.pipeline = pipeline;
        this.apply = apply;
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

    @Override
    public ModelsFitted decode(ConsumerRecord<String, String> record) throws Exception {
        if (record.value() == null || !CloudEvents.TYPE_MODELS_FITTED.equals(
                CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_TYPE))) {
            return null;
        }
        String workspace = CloudEventRecords.requiredWorkspace(record);
        ModelsFitted fitted = json.readValue(record.value(), ModelsFitted.class);
        if (!workspace.equals(fitted.workspace()) || fitted.bgnbd() == null || fitted.gammaGamma() == null
                || fitted.unitDays() <= 0 || fitted.calibrationEnd() == null || fitted.fittedAt() == null) {
            throw new PoisonRecord("models of workspace " + fitted.workspace() + " announced under " + workspace
                    + ", or without parameters, unit or dates");
        }
        return fitted;
    }

    @Override
    public void handle(List<ModelsFitted> announcements) {
        apply.apply(announcements);
    }
}
