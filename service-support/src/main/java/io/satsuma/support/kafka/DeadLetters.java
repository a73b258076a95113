package io.satsuma.support.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends a record a consumer cannot process to {@code <topic>.dlq}, as it came (key, value, headers) plus
 * why and where it failed, and waits until the broker has it: batch consumers call it before their
 * poll's offsets are committed, so nothing is lost and the rest of the batch goes on.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final SatsumaProducer producer;

    DeadLetters(SatsumaProducer producer) {
        this.producer = producer;
    }

    public void send(ConsumerRecord<String, String> record, Exception reason) throws InterruptedException {
        String topic = record.topic() + ".dlq";
        LOG.errorf(reason, "record %s-%d@%d goes to %s", record.topic(), record.partition(), record.offset(), topic);
        ProducerRecord<String, String> dead = new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
        dead.headers().add("dead-letter-reason", String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        dead.headers().add("dead-letter-offset", (record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(dead).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "-" + record.partition() + "@"
                    + record.offset(), e.getCause());
        }
    }
}
