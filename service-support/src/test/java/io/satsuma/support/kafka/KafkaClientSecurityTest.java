package io.satsuma.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    @Test
    void keepsTheProtocolSaslAndTrustStoreSettingsOfTheServicesKafkaConfiguration() {
        Map<String, Object> kafka = Map.of(
                "bootstrap.servers", "satsuma-kafka-bootstrap:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "/etc/satsuma/kafka-ca/ca.crt",
                "group.id", "ignored",
                "auto.offset.reset", "earliest");

        assertThat(KafkaClientSecurity.settings(kafka)).containsOnlyKeys("security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.type", "ssl.truststore.location");
    }

    @Test
    void anUnsetSettingIsLeftToTheClientsDefault() {
        // Quarkus maps a property that resolves to nothing to ""; the client would refuse "" as a protocol.
        assertThat(KafkaClientSecurity.settings(Map.of("security.protocol", "", "bootstrap.servers", "b:9092"))).isEmpty();
    }
}
