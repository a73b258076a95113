package io.satsuma.profile.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.profile.application.RecordBatch;
import io.satsuma.profile.application.RecordEvent;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.DeadLetters;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code satsuma.events.v1} a poll at a time (up to {@code max.poll.records}): the whole poll is
 * recorded in one transaction, and the offsets are committed only after it has committed. RecordEvent
 * ignores a message id it already stored: at-least-once delivery, exactly-once effect. If the batch
 * fails, its events are recorded one per transaction (a concurrent instance that created the same
 * identifier first is retried); an event that still fails goes to {@code satsuma.events.v1.dlq} with
 * the reason, and the others are kept.
 */
@ApplicationScoped
class IngestedEventConsumer {
    private static final Logger LOG = Logger.getLogger(IngestedEventConsumer.class);
    private static final int ATTEMPTS = 5;

    private final RecordBatch recordBatch;
    private final RecordEvent recordEvent;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    IngestedEventConsumer(RecordBatch recordBatch, RecordEvent recordEvent, DeadLetters deadLetters, ObjectMapper json) {
        this.recordBatch = recordBatch;
        this.recordEvent = recordEvent;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming("events-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecords<String, String> records) throws Exception {
        List<RecordBatch.Ingested> batch = new ArrayList<>();
        List<ConsumerRecord<String, String>> sources = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                batch.add(new RecordBatch.Ingested(CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE),
                        json.readValue(record.value(), IngestedEvent.class)));
                sources.add(record);
            } catch (Exception unreadable) {
                deadLetters.send(record, unreadable);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            recordBatch.recordAll(batch);
            return;
        } catch (RuntimeException e) {
            LOG.debugf("a batch of %d events failed (%s); recording them one by one", batch.size(), e.getMessage());
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                recordWithRetries(batch.get(i));
            } catch (Exception e) {
                deadLetters.send(sources.get(i), e);
            }
        }
    }

    private void recordWithRetries(RecordBatch.Ingested ingested) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                recordEvent.record(ingested.workspace(), ingested.event());
                return;
            } catch (Sql.DataAccessException e) {
                // A concurrent instance created the same identifier first: re-resolving sees it.
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.debugf("retrying event %s after %s", ingested.event().messageId(), e.getMessage());
                Thread.sleep(20L * attempt);
            }
        }
    }
}
