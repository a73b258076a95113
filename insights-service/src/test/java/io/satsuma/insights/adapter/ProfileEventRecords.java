package io.satsuma.insights.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.support.kafka.CloudEventRecords;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Profile events as profile-service publishes them, for the tests that feed insights-service through Kafka. */
final class ProfileEventRecords {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private ProfileEventRecords() {
    }

    static ProducerRecord<String, String> profileEvent(String workspace, String eventId, String profileId, String name,
                                                       Map<String, Object> properties, Instant at) {
        try {
            return CloudEventRecords.record(Topic.PROFILE_EVENTS.topicName(), profileId, eventId,
                    CloudEvents.TYPE_PROFILE_EVENT, "/test", Instant.now(), workspace,
                    JSON.writeValueAsString(new ProfileEvent(eventId, profileId, "track", name, properties, at)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
