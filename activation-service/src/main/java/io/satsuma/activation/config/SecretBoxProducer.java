package io.satsuma.activation.config;

import io.satsuma.activation.domain.SecretBox;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one {@link SecretBox} of the service, keyed by {@code satsuma.activation.secret-key} (from the environment). */
class SecretBoxProducer {
    @Produces
    @Singleton
    SecretBox secretBox(@ConfigProperty(name = "satsuma.activation.secret-key") String base64Key) {
        return new SecretBox(base64Key);
    }
}
