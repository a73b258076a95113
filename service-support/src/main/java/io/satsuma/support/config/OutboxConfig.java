package io.satsuma.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The transactional outbox's relay. */
@ConfigMapping(prefix = "satsuma.outbox")
public interface OutboxConfig {

    /** Whether this instance runs a relay (every instance may: one publishes at a time, by advisory lock). */
    @WithDefault("false")
    boolean enabled();

    /** Rows published per round. */
    @WithDefault("1000")
    int batchSize();

    /** How long an idle relay waits before looking again (an append wakes it at once on this instance). */
    @WithDefault("200ms")
    Duration idlePoll();
}
