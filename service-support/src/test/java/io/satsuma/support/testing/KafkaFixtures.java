package io.satsuma.support.testing;

import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes Satsuma records the way their producers do, for the services' tests (through service-support's test
 * jar): a CloudEvent on a topic, or a record on {@code <topic>.dlq} as the consumer pipeline dead-letters it.
 */
public final class KafkaFixtures {
    private KafkaFixtures() {
    }

    /** Sends a CloudEvents record (binary mode) and waits until the broker has it. */
    public static void publish(String bootstrapServers, String topic, String key, String ceId, String ceType,
                               String workspace, String value) {
        send(bootstrapServers, List.of(event(topic, key, ceId, ceType, workspace, value)));
    }

    /** A CloudEvents record (binary mode), to send with others through {@link #send}. */
    public static ProducerRecord<String, String> event(String topic, String key, String ceId, String ceType,
                                                       String workspace, String value) {
        return CloudEventRecords.record(topic, key, ceId, ceType, "/test", Instant.now(), workspace, value);
    }

    /**
     * Puts a record on {@code <topic>.dlq} exactly as the pipeline of {@code consumer} would have after giving up on
     * it from {@code channel} (say, after a database outage longer than its retries), at a made-up original offset.
     */
    public static void deadLetter(String bootstrapServers, String topic, String consumer, String channel, String key,
                                  String ceId, String ceType, String workspace, String value, String reason) {
        ProducerRecord<String, String> record = CloudEventRecords.record(topic + ".dlq", key, ceId, ceType, "/test",
                Instant.now(), workspace, value);
        header(record, DeadLetters.REASON, reason);
        header(record, DeadLetters.CONSUMER, consumer);
        header(record, DeadLetters.CHANNEL, channel);
        header(record, DeadLetters.TOPIC, topic);
        header(record, DeadLetters.PARTITION, "0");
        header(record, DeadLetters.OFFSET, "0");
        send(bootstrapServers, List.of(record));
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the records through one producer, in order, and waits until the broker has them all. */
    public static void send(String bootstrapServers, List<ProducerRecord<String, String>> records) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            records.forEach(r -> sent.add(producer.send(r)));
            for (Future<RecordMetadata> done : sent) {
                done.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + records.size() + " record(s)", e);
        }
    }
}
