package io.satsuma.support.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import io.satsuma.support.config.KafkaConfig;
import io.satsuma.support.config.ServiceConfig;
import io.satsuma.support.tracing.TraceContext;

/**
 * The service's one Kafka producer: idempotent, {@code acks=all}, so a send that completes is
 * durable and a retried send never reorders or duplicates within a partition. Profile events are placed by
 * their profile id ({@link ProfileKeyPartitioner}).
 */
@ApplicationScoped
public class SatsumaProducer {
    /** Quarkus' map of the {@code kafka.*} configuration, which SmallRye's channels use too. */
    public static final String DEFAULT_KAFKA_BROKER = "default-kafka-broker";
    private final Producer<String, String> producer;

    SatsumaProducer(KafkaConfig kafka, ServiceConfig service,
                    @Identifier(DEFAULT_KAFKA_BROKER) Map<String, Object> kafkaClientConfig) {
        Properties props = new Properties();
        props.putAll(KafkaClientSecurity.settings(kafkaClientConfig));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, service.name() + "-producer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(kafka.lingerMs()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ProfileKeyPartitioner.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    /** Sends; the future completes once the broker has the record durably (or fails). */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
        // Sent while handling a request (ingestion): the record continues its trace.
        TraceContext.addCurrent(record.headers());
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    public void flush() {
        producer.flush();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
