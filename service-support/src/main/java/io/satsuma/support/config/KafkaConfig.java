package io.satsuma.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own Kafka clients (the outbox relay's producer, dead letters, the dead-letter reader). */
@ConfigMapping(prefix = "satsuma.kafka")
public interface KafkaConfig {

    /** Bootstrap servers of the cluster (the same as SmallRye's {@code kafka.bootstrap.servers}). */
    @WithDefault("${kafka.bootstrap.servers}")
    String bootstrapServers();

    /** How long the producer waits to fill a batch; a little latency buys much throughput. */
    @WithDefault("5")
    int lingerMs();
}
