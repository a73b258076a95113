package io.satsuma.activation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** activation-service's own settings. */
@ConfigMapping(prefix = "satsuma.activation")
public interface ActivationConfig {

    /**
     * AES-256 key (32 bytes, base64) that encrypts destination secrets at rest. Required, from the environment
     * ({@code SATSUMA_SECRET_KEY}); changing it makes existing secrets unreadable.
     */
    String secretKey();

    /** Outbound HTTP to channels. */
    Http http();

    interface Http {
        /** Connect and response timeout of a call to a channel; a slower answer counts as a failure and is retried. */
        @WithDefault("PT10S")
        Duration timeout();
    }

    /** Where destinations may point. */
    Destinations destinations();

    interface Destinations {
        /**
         * Internal networks (CIDRs) destinations may nevertheless point to, e.g. {@code 127.0.0.0/8} for local
         * stubs ({@code SATSUMA_DESTINATIONS_ALLOWED_NETWORKS}); none by default (ADR 017).
         */
        Optional<List<String>> allowedPrivateNetworks();
    }

    /** The delivery lanes. */
    Lanes lanes();

    interface Lanes {
        /** How often the lanes look for destinations with due work. */
        @WithDefault("200ms")
        Duration pollInterval();
    }
}
