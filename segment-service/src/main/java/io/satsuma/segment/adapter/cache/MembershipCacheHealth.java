package io.satsuma.segment.adapter.cache;

import jakarta.enterprise.context.ApplicationScoped;
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

    MembershipCacheHealth(RedisMembershipCache cache) {
        this.cache = cache;
    }

    @Override
    public HealthCheckResponse call() {
        CacheCircuit circuit = cache.circuit();
        return HealthCheckResponse.named("membership-cache").up()
                .withData("redis", circuit.degraded() ? "not in use: answering from PostgreSQL" : "in use")
                .withData("epoch", circuit.epoch())
                .withData("lastFailure", circuit.lastFailure() == null ? "none" : circuit.lastFailure())
                .build();
    }
}
