package io.satsuma.support.kafka;

import io.satsuma.contracts.CloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** CloudEvents 1.0 binary mode on Kafka records: building them and reading their attributes. */
public final class CloudEventRecords {
    private CloudEventRecords() {
    }

    public static ProducerRecord<String, String> record(String topic, String key, String ceId, String ceType,
                                                        String source, Instant time, String workspace, String json) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
        Headers headers = record.headers();
        headers.add(CloudEvents.HEADER_SPEC_VERSION, bytes(CloudEvents.SPEC_VERSION));
        headers.add(CloudEvents.HEADER_ID, bytes(ceId));
        headers.add(CloudEvents.HEADER_TYPE, bytes(ceType));
        headers.add(CloudEvents.HEADER_SOURCE, bytes(source));
        headers.add(CloudEvents.HEADER_TIME, bytes(time.toString()));
        headers.add(CloudEvents.HEADER_CONTENT_TYPE, bytes(CloudEvents.CONTENT_TYPE_JSON));
        headers.add(CloudEvents.HEADER_WORKSPACE, bytes(workspace));
        return record;
    }

    /** A header's value, or null if the record does not carry it. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A header that must be there; its absence makes the record a poison message. */
    public static String requiredHeader(ConsumerRecord<?, ?> record, String name) {
        String value = header(record, name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("record " + record.topic() + "/" + record.partition() + "@"
                    + record.offset() + " lacks header " + name);
        }
        return value;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
