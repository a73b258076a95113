package io.satsuma.activation.config;

import io.satsuma.activation.domain.SecretBox;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link SecretBox} of the service, keyed by {@code satsuma.activation.secret-key} (from the environment). */
class SecretBoxProducer {
    @Produces
    @Singleton
    SecretBox secretBox(ActivationConfig config) {
        return new SecretBox(config.secretKey());
    }
}
