package io.satsuma.localinfra;

import io.satsuma.contracts.Topic;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A Kafka cluster: a real single-node KRaft broker in this JVM, or an external one. Either way the
 * Satsuma topics are created explicitly (the broker refuses auto-creation).
 */
public final class Kafka implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final String bootstrapServers;

    private Kafka(EmbeddedKafkaBroker broker, String bootstrapServers) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
    }

    public static Kafka startEmbedded() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(FreePorts.next())
                .withControllerPort(FreePorts.next())
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(p -> {
                    p.put("auto.create.topics.enable", "false");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("offsets.topic.num.partitions", "4");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("log.cleaner.enable", "true");
                    // A cleaner that looks every second, not every 15: tests see compaction (erasure) happen.
                    p.put("log.cleaner.backoff.ms", "1000");
                })
                .start();
        String bootstrap = broker.getAdvertisedListeners().replaceFirst("^[A-Z_]+://", "");
        return new Kafka(broker, bootstrap);
    }

    public static Kafka external(String bootstrapServers) {
        return new Kafka(null, bootstrapServers);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates every Satsuma topic and its dead-letter topic; existing ones are left as they are. */
    public void createTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                if (!existing.contains(topic.topicName())) {
                    missing.add(new NewTopic(topic.topicName(), topic.partitions(), (short) 1).configs(topic.configs()));
                }
                if (!existing.contains(topic.deadLetterTopicName())) {
                    missing.add(new NewTopic(topic.deadLetterTopicName(), 1, (short) 1).configs(topic.deadLetterConfigs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create Satsuma topics on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isEmbedded() {
        return broker != null;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
