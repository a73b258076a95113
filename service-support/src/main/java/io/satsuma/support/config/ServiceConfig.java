package io.satsuma.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who this service is. */
@ConfigMapping(prefix = "satsuma.service")
public interface ServiceConfig {

    /** The service's name: the source of the events it publishes, its consumer group, its Kafka client id. */
    @WithDefault("${quarkus.application.name}")
    String name();
}
