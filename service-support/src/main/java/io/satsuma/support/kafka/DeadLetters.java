package io.satsuma.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.satsuma.support.config.ServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends a record a consumer cannot handle to {@code <topic>.dlq}, as it came (key, value, headers) plus why,
 * where and by whom it failed, and waits until the broker has it: the pipeline calls it before the poll's
 * offsets can be committed, so nothing is lost. Several services consume the same topics, so each dead
 * letter names its consumer; the reason never carries personal data ({@link Failures#describe}).
 */
@ApplicationScoped
public class DeadLetters {
    public static final String REASON = "dead-letter-reason";
    public static final String CONSUMER = "dead-letter-consumer";
    public static final String CHANNEL = "dead-letter-channel";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final SatsumaProducer producer;
    private final String consumer;
    private final MeterRegistry meters;

    DeadLetters(SatsumaProducer producer, ServiceConfig config, MeterRegistry meters) {
        this.producer = producer;
        this.consumer = config.name();
        this.meters = meters;
    }

    /** The service whose dead letters these are (its consumer group). */
    public String consumer() {
        return consumer;
    }

    /**
     * Dead-letters the record; retries while the broker is unreachable, until {@code deadline} (nanoTime).
     *
     * @throws InterruptedException if the service is stopping: the poll is then not committed, and redelivered
     */
    public void send(String channel, ConsumerRecord<String, String> record, String reason, long deadline)
            throws InterruptedException {
        String dlq = record.topic() + ".dlq";
        LOG.errorf("record %s-%d@%d of %s goes to %s: %s", record.topic(), record.partition(), record.offset(), channel,
                dlq, reason);
        ProducerRecord<String, String> dead = new ProducerRecord<>(dlq, null, record.key(), record.value(), record.headers());
        header(dead, REASON, reason);
        header(dead, CONSUMER, consumer);
        header(dead, CHANNEL, channel);
        header(dead, TOPIC, record.topic());
        header(dead, PARTITION, Integer.toString(record.partition()));
        header(dead, OFFSET, Long.toString(record.offset()));
        long backoff = 200;
        while (true) {
            try {
                producer.send(dead).get(30, TimeUnit.SECONDS);
                meters.counter("satsuma.dead.letters", "topic", record.topic(), "channel", channel).increment();
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not dead-letter " + record.topic() + "-" + record.partition()
                            + "@" + record.offset() + ": " + Failures.describe(e));
                }
                LOG.warnf("dead-lettering %s-%d@%d failed (%s), retrying in %d ms", record.topic(), record.partition(),
                        record.offset(), Failures.describe(e), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, Duration.ofSeconds(10).toMillis());
            }
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
