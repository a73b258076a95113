package io.satsuma.profile.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.profile.application.RecordEvent;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.kafka.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code satsuma.events.v1}. The offset is committed only after {@link RecordEvent} has
 * committed its transaction, and RecordEvent ignores a message id it already stored: at-least-once
 * delivery, exactly-once effect. A message that keeps failing goes to the dead-letter topic.
 */
@ApplicationScoped
class IngestedEventConsumer {
    private static final Logger LOG = Logger.getLogger(IngestedEventConsumer.class);
    private static final int ATTEMPTS = 5;

    private final RecordEvent recordEvent;
    private final ObjectMapper json;

    IngestedEventConsumer(RecordEvent recordEvent, ObjectMapper json) {
        this.recordEvent = recordEvent;
        this.json = json;
    }

    @Incoming("events-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecord<String, String> record) throws Exception {
        String workspace = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE);
        IngestedEvent event = json.readValue(record.value(), IngestedEvent.class);
        for (int attempt = 1; ; attempt++) {
            try {
                recordEvent.record(workspace, event);
                return;
            } catch (Sql.DataAccessException e) {
                // A concurrent instance created the same identifier first: re-resolving sees it.
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.debugf("retrying event %s after %s", event.messageId(), e.getMessage());
                Thread.sleep(20L * attempt);
            }
        }
    }
}
