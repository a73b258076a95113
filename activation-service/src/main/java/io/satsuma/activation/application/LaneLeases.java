package io.satsuma.activation.application;

import io.satsuma.activation.domain.Leases;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * This instance's hold on the work its lanes claimed. A lease lasts {@link #LEASE} and is renewed every
 * {@link #RENEW_EVERY} while the instance runs, so a slow vendor call never loses its people to another lane, and a
 * killed instance's work is claimable again within one lease.
 */
@ApplicationScoped
public class LaneLeases {
    public static final Duration LEASE = Duration.ofSeconds(30);
    public static final Duration RENEW_EVERY = Duration.ofSeconds(10);

    private final String owner = "activation-" + UUID.randomUUID();
    private final Leases leases;
    private final Clock clock;

    LaneLeases(Leases leases, Clock clock) {
        this.leases = leases;
        this.clock = clock;
    }

    public String owner() {
        return owner;
    }

    public Instant until(Instant now) {
        return now.plus(LEASE);
    }

    public void renew() {
        leases.renew(owner, clock.instant().plus(LEASE));
    }
}
