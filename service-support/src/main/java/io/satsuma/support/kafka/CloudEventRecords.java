package io.satsuma.support.kafka;

import io.satsuma.contracts.CloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 binary mode on Kafka records: building them and reading their attributes. Hand-written
 * (ADR 009) because the outbox relay and the poll consumers work on plain Kafka records; the CloudEvents
 * SDK's Kafka binding checks in a test that what this writes is a valid CloudEvent.
 */
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
        headers.add(CloudEvents.HEADER_CE_WORKSPACE, bytes(workspace));
        headers.add(CloudEvents.HEADER_WORKSPACE, bytes(workspace));
        return record;
    }

    /** The record's workspace ({@code ce_workspace}, else the v1 {@code workspace} header), or null. */
    public static String workspace(ConsumerRecord<?, ?> record) {
        String workspace = header(record, CloudEvents.HEADER_CE_WORKSPACE);
        return workspace != null ? workspace : header(record, CloudEvents.HEADER_WORKSPACE);
    }

    /** The record's workspace, which a Satsuma event must carry: its absence makes the record a poison message. */
    public static String requiredWorkspace(ConsumerRecord<?, ?> record) {
        String workspace = workspace(record);
        if (workspace == null || workspace.isBlank()) {
            throw new PoisonRecord("the record carries no workspace (header " + CloudEvents.HEADER_CE_WORKSPACE + ")");
        }
        return workspace;
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
            throw new PoisonRecord("the record lacks header " + name);
        }
        return value;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
