package io.satsuma.segment.adapter.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The membership cache's Redis, required like the database (see service-support's {@code RequiredSettings}):
 * without {@code SATSUMA_REDIS_URL} a production start stops while the configuration is read, naming it.
 */
@ConfigMapping(prefix = "satsuma.cache")
public interface RedisSettings {

    /** Redis URL(s) ({@code quarkus.redis.hosts}, from SATSUMA_REDIS_URL). */
    @WithDefault("${quarkus.redis.hosts}")
    String redisHosts();
}
