package io.satsuma.segment.adapter.cache;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the membership cache in readiness without ever failing it: with Redis down the service answers from
 * PostgreSQL, which is what readiness should say ("up, degraded"), not take the instance out of service.
 */
@Readiness
@ApplicationScoped
class MembershipCacheHealth implements HealthCheck {
    private final RedisMembershipCache cache;
    private final String server;

    MembershipCacheHealth(RedisMembershipCache cache, RedisSettings settings) {
        this.cache = cache;
        this.server = serverOf(settings.redisHosts());
    }

    /** Host and port of the (first) Redis URL: never its user or password. */
    static String serverOf(String hosts) {
        try {
            URI first = URI.create(hosts.split(",")[0].trim());
            return first.getHost() + ":" + (first.getPort() < 0 ? 6379 : first.getPort());
        } catch (IllegalArgumentException e) {
            return "(unparsable URL)";
        }
    }

    @Override
    public HealthCheckResponse call() {
        CacheCircuit circuit = cache.circuit();
        return HealthCheckResponse.named("membership-cache").up()
                .withData("server", server)
                .withData("redis", circuit.degraded() ? "not in use: answering from PostgreSQL" : "in use")
                .withData("epoch", circuit.epoch())
                .withData("lastFailure", circuit.lastFailure() == null ? "none" : circuit.lastFailure())
                .build();
    }
}
