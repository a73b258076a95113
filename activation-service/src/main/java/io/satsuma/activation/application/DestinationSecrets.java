package io.satsuma.activation.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.Destinations;
import io.satsuma.activation.domain.SecretBox;
import io.satsuma.activation.domain.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * A destination's secrets: a JSON object encrypted as a whole with the service's key. Webhook destinations made
 * before destinations had several secrets stored the signing secret alone; it reads as {@code signingSecret}.
 */
@ApplicationScoped
public class DestinationSecrets {
    private final Destinations destinations;
    private final SecretBox box;
    private final ObjectMapper json;

    DestinationSecrets(Destinations destinations, SecretBox box, ObjectMapper json) {
        this.destinations = destinations;
        this.box = box;
        this.json = json;
    }

    public String encrypt(Map<String, String> secrets) {
        try {
            return box.encrypt(json.writeValueAsString(secrets));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Target target(Destination destination) {
        String plain = box.decrypt(destinations.secretsCiphertext(destination.id()));
        if (!plain.startsWith("{")) {
            return new Target(destination, Map.of("signingSecret", plain));
        }
        try {
            return new Target(destination, json.readValue(plain, new TypeReference<Map<String, String>>() {
            }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("destination " + destination.id() + " has unreadable secrets", e);
        }
    }
}
