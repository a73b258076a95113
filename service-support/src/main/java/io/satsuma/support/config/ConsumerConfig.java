package io.satsuma.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The consumer pipeline's retries and its idempotency bookkeeping. */
@ConfigMapping(prefix = "satsuma.consumer")
public interface ConsumerConfig {

    /** First pause after a transient failure (database or broker unreachable, deadlock, serialization failure). */
    @WithDefault("200ms")
    Duration retryInitialBackoff();

    /** Longest pause between two attempts. */
    @WithDefault("PT30S")
    Duration retryMaxBackoff();

    /**
     * How long a poll keeps retrying transient failures, offsets uncommitted, before its remaining records are
     * dead-lettered (and can be replayed). Keep it below the channels' {@code throttled.unprocessed-record-max-age.ms}.
     */
    @WithDefault("PT10M")
    Duration retryFor();

    /**
     * Idempotent-consumer bookkeeping ({@code processed_message}) is deleted past this age. It must exceed the
     * retention of every topic the service consumes and of its dead-letter topics, or an old redelivery could
     * count twice.
     */
    @WithDefault("P35D")
    Duration processedMessageHorizon();
}
