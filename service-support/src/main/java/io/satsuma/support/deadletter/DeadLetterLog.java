package io.satsuma.support.deadletter;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.support.config.KafkaConfig;
import io.satsuma.support.config.ServiceConfig;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.DeadLetters;
import io.satsuma.support.kafka.KafkaClientSecurity;
import io.satsuma.support.kafka.SatsumaProducer;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;

/**
 * This service's dead letters, read from the {@code <topic>.dlq} topics of the channels it consumes (where
 * {@link DeadLetters} put them, for this consumer), and the replays operators asked for
 * ({@code dead_letter_replay}). The topics stay the store: Kafka tools see the same records.
 */
@ApplicationScoped
public class DeadLetterLog {
    private final Sql sql;
    private final ConsumerPipeline pipeline;
    private final Config config;
    private final String bootstrapServers;
    private final Map<String, Object> security;
    private final String consumer;

    DeadLetterLog(Sql sql, ConsumerPipeline pipeline, Config config, KafkaConfig kafka, ServiceConfig service,
                  @Identifier(SatsumaProducer.DEFAULT_KAFKA_BROKER) Map<String, Object> kafkaClientConfig) {
        this.sql = sql;
        this.pipeline = pipeline;
        this.config = config;
        this.bootstrapServers = kafka.bootstrapServers();
        this.security = KafkaClientSecurity.settings(kafkaClientConfig);
        this.consumer = service.name();
    }

    /** A dead letter as operators see it: where it came from and why, never its payload. */
    public record DeadLetter(String id, String channel, String topic, int partition, long offset, String ceType,
                             String ceId, String reason, Instant deadLetteredAt, Instant replayedAt,
                             String replayOutcome, String replayReason) {
    }

    /** The workspace's dead letters of this service, oldest first. */
    public List<DeadLetter> list(String workspace) {
        List<DeadLetter> letters = new ArrayList<>();
        Map<String, Replayed> replays = replays();
        for (ConsumerRecord<String, String> record : read(workspace)) {
            String id = id(record);
            Replayed replay = replays.get(id);
            letters.add(new DeadLetter(id, header(record, DeadLetters.CHANNEL), header(record, DeadLetters.TOPIC),
                    Integer.parseInt(header(record, DeadLetters.PARTITION)), Long.parseLong(header(record, DeadLetters.OFFSET)),
                    header(record, CloudEvents.HEADER_TYPE), header(record, CloudEvents.HEADER_ID),
                    header(record, DeadLetters.REASON), Instant.ofEpochMilli(record.timestamp()),
                    replay == null ? null : replay.at(), replay == null ? null : replay.outcome(),
                    replay == null ? null : replay.reason()));
        }
        return letters;
    }

    /** The outcome of replaying one dead letter. */
    public record Replayed(String id, Instant at, String outcome, String reason) {
        public static final String REPLAYED = "REPLAYED";
        public static final String FAILED = "FAILED";
    }

    /**
     * Replays the workspace's dead letters with these ids (all of them when {@code ids} is empty) through their
     * consumer, one transaction each, and records each outcome. Ids that are not the workspace's are ignored.
     */
    public List<Replayed> replay(String workspace, Collection<String> ids) throws InterruptedException {
        Set<String> wanted = new LinkedHashSet<>(ids);
        List<Replayed> outcomes = new ArrayList<>();
        for (ConsumerRecord<String, String> record : read(workspace)) {
            String id = id(record);
            if (!wanted.isEmpty() && !wanted.contains(id)) {
                continue;
            }
            ConsumerPipeline.Replay replay = pipeline.replay(header(record, DeadLetters.CHANNEL), original(record));
            Replayed outcome = new Replayed(id, Instant.now(), replay.handled() ? Replayed.REPLAYED : Replayed.FAILED,
                    replay.reason());
            sql.update("""
                    INSERT INTO dead_letter_replay (id, consumer, replayed_at, outcome, reason) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id, consumer) DO UPDATE
                    SET replayed_at = EXCLUDED.replayed_at, outcome = EXCLUDED.outcome, reason = EXCLUDED.reason""",
                    id, consumer, outcome.at(), outcome.outcome(), outcome.reason());
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /** The dead letter as it was consumed: its original topic, partition and offset (handlers may read them). */
    private static ConsumerRecord<String, String> original(ConsumerRecord<String, String> dead) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(header(dead, DeadLetters.TOPIC),
                Integer.parseInt(header(dead, DeadLetters.PARTITION)), Long.parseLong(header(dead, DeadLetters.OFFSET)),
                dead.key(), dead.value());
        dead.headers().forEach(h -> record.headers().add(h));
        return record;
    }

    private Map<String, Replayed> replays() {
        Map<String, Replayed> replays = new HashMap<>();
        sql.query("SELECT id, replayed_at, outcome, reason FROM dead_letter_replay WHERE consumer = ?",
                rs -> replays.put(rs.getString(1), new Replayed(rs.getString(1), Sql.instant(rs, "replayed_at"),
                        rs.getString(3), rs.getString(4))), consumer);
        return replays;
    }

    /** Every dead letter of this consumer and workspace, read from the start of the DLQ topics to their end now. */
    private List<ConsumerRecord<String, String>> read(String workspace) {
        Set<String> topics = new LinkedHashSet<>();
        for (String channel : pipeline.channels()) {
            config.getOptionalValue("mp.messaging.incoming." + channel + ".topic", String.class)
                    .ifPresent(topic -> topics.add(topic + ".dlq"));
            // A channel may consume several topics (segment-service's profile changes).
            config.getOptionalValue("mp.messaging.incoming." + channel + ".topics", String.class)
                    .ifPresent(list -> Arrays.stream(list.split(",")).map(String::strip)
                            .forEach(topic -> topics.add(topic + ".dlq")));
        }
        Properties props = new Properties();
        props.putAll(security);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, consumer + "-dead-letters");
        List<ConsumerRecord<String, String>> letters = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = reader.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(500))) {
                    if (consumer.equals(header(record, DeadLetters.CONSUMER))
                            && workspace.equals(CloudEventRecords.workspace(record))) {
                        letters.add(record);
                    }
                }
            }
        }
        return letters;
    }

    private static String id(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return CloudEventRecords.header(record, name);
    }
}
