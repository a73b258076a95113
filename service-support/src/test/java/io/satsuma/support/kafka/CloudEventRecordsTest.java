package io.satsuma.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.satsuma.contracts.CloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What {@link CloudEventRecords} writes is read back as a valid CloudEvent by the CloudEvents SDK's Kafka binding. */
class CloudEventRecordsTest {

    @Test
    void aRecordIsABinaryModeCloudEventWithTheWorkspaceExtension() {
        Instant time = Instant.parse("2026-11-30T10:15:30.123456Z");
        ProducerRecord<String, String> record = CloudEventRecords.record("satsuma.memberships.v1", "p-1", "ce-1",
                CloudEvents.TYPE_MEMBERSHIP_CHANGED, "/satsuma/segment-service", time, "ws-1", "{\"a\":1}");

        MessageReader reader = KafkaMessageFactory.createReader(record.headers(), record.value().getBytes(StandardCharsets.UTF_8));
        CloudEvent event = reader.toEvent();

        assertThat(event.getSpecVersion()).isEqualTo(SpecVersion.V1);
        assertThat(event.getId()).isEqualTo("ce-1");
        assertThat(event.getType()).isEqualTo(CloudEvents.TYPE_MEMBERSHIP_CHANGED);
        assertThat(event.getSource()).hasToString("/satsuma/segment-service");
        assertThat(event.getTime().toInstant()).isEqualTo(time);
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getExtension(CloudEvents.EXTENSION_WORKSPACE)).isEqualTo("ws-1");
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void theWorkspaceIsReadFromEitherHeaderAndARecordWithoutOneIsPoison() {
        ConsumerRecord<String, String> v1 = new ConsumerRecord<>("t", 0, 0, "k", "{}");
        v1.headers().add(CloudEvents.HEADER_WORKSPACE, "old".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, String> both = new ConsumerRecord<>("t", 0, 1, "k", "{}");
        both.headers().add(CloudEvents.HEADER_WORKSPACE, "old".getBytes(StandardCharsets.UTF_8));
        both.headers().add(CloudEvents.HEADER_CE_WORKSPACE, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(CloudEventRecords.requiredWorkspace(v1)).isEqualTo("old");
        assertThat(CloudEventRecords.requiredWorkspace(both)).isEqualTo("new");
        assertThatThrownBy(() -> CloudEventRecords.requiredWorkspace(new ConsumerRecord<>("t", 0, 2, "k", "{}")))
                .isInstanceOf(PoisonRecord.class).hasMessageContaining("no workspace");
    }
}
