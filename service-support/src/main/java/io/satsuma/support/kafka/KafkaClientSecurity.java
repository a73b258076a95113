package io.satsuma.support.kafka;

import java.util.Map;
import java.util.TreeMap;

/**
 * The security settings of the service's own Kafka clients (the outbox relay's producer, the dead-letter reader),
 * taken from the same {@code kafka.*} configuration SmallRye's channels use — Quarkus' {@code default-kafka-broker}
 * map, which also reads {@code KAFKA_*} environment variables (deploy/ sets {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG} and the trust store) — so that every client of a
 * service authenticates as the same Kafka user.
 */
public final class KafkaClientSecurity {
    private KafkaClientSecurity() {
    }

    /** The {@code security.protocol}, {@code sasl.*} and {@code ssl.*} entries of a Kafka client configuration. */
    public static Map<String, Object> settings(Map<String, Object> kafkaConfig) {
        Map<String, Object> security = new TreeMap<>();
        kafkaConfig.forEach((key, value) -> {
            if ((key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl."))
                    && value != null && !value.toString().isBlank()) {
                security.put(key, value);
            }
        });
        return security;
    }
}
