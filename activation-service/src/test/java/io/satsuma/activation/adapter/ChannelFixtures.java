package io.satsuma.activation.adapter;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.sandbox.ChannelSandbox;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.testing.KafkaFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the channel tests share: one channel sandbox per test JVM (the vendors' stand-ins, contract-checking every
 * request), a workspace of their own per test, and ways to put profiles and membership changes on the topics the way
 * profile-service and segment-service do.
 */
final class ChannelFixtures {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static ChannelSandbox sandbox;
    private static String privateKeyPem;

    final String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    final String adminToken = token(workspace, "admin");
    private final List<ProducerRecord<String, String>> pending = new ArrayList<>();

    static synchronized ChannelSandbox sandbox() {
        if (sandbox == null) {
            sandbox = ChannelSandbox.start(0, ChannelSandbox.specsBeside(Path.of(System.getProperty("satsuma.root", ".."))));
        }
        return sandbox;
    }

    /** A fresh RSA key for Google's and FCM's service accounts (PKCS#8 PEM). */
    static synchronized String serviceAccountKey() {
        if (privateKeyPem == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                privateKeyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return privateKeyPem;
    }

    static String token(String workspace, String... roles) {
        return DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, roles);
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A person as profile-service would publish them: identifiers, traits, consent per channel, push tokens. */
    record Person(String id, List<Identifier> identifiers, Map<String, Object> traits, Map<String, Boolean> consent,
                  Map<String, String> pushTokens) {
        static Person of(String id) {
            return new Person(id, List.of(), Map.of(), Map.of(), Map.of());
        }

        Person with(String type, String value) {
            List<Identifier> ids = new ArrayList<>(identifiers);
            ids.add(new Identifier(type, value));
            return new Person(id, ids, traits, consent, pushTokens);
        }

        Person trait(String name, Object value) {
            Map<String, Object> t = new LinkedHashMap<>(traits);
            t.put(name, value);
            return new Person(id, identifiers, t, consent, pushTokens);
        }

        Person consent(String channel, boolean granted) {
            Map<String, Boolean> c = new LinkedHashMap<>(consent);
            c.put(channel, granted);
            return new Person(id, identifiers, traits, c, pushTokens);
        }

        Person pushToken(String token, String platform) {
            Map<String, String> t = new LinkedHashMap<>(pushTokens);
            t.put(token, platform);
            return new Person(id, identifiers, traits, consent, t);
        }
    }

    /** Queues a snapshot of the person at {@code version} on satsuma.profiles.v1. */
    ChannelFixtures profile(Person p, long version) {
        Map<String, ProfileAggregates.Consent> consent = new LinkedHashMap<>();
        p.consent().forEach((channel, granted) -> consent.put(channel, new ProfileAggregates.Consent(granted, Instant.now())));
        Map<String, ProfileAggregates.PushToken> tokens = new LinkedHashMap<>();
        p.pushTokens().forEach((token, platform) -> tokens.put(token, new ProfileAggregates.PushToken(platform, Instant.now(), null)));
        ProfileAggregates aggregates = new ProfileAggregates(1, Instant.now(), Instant.now(), 1, 0, 0, 0, Map.of(), Map.of(),
                0, null, false, 0, null, null, null, null, 0, null, 0, null, 0, 0, Map.of(), null, consent, tokens);
        ProfileSnapshot snapshot = new ProfileSnapshot(p.id(), version, ProfileSnapshot.STATUS_ACTIVE, null, p.identifiers(),
                p.traits(), aggregates, Instant.now());
        pending.add(KafkaFixtures.event(Topic.PROFILES.topicName(), p.id(), UUID.randomUUID().toString(),
                CloudEvents.TYPE_PROFILE_CHANGED, workspace, json(snapshot)));
        return this;
    }

    /** Queues a membership change as segment-service publishes it. */
    ChannelFixtures membership(String segmentId, String profileId, boolean entered, long sequence, boolean holdout) {
        return membership(UUID.randomUUID().toString(), segmentId, profileId, entered, sequence, holdout);
    }

    /** The same with a given {@code ce_id}: sending it twice is a redelivery. */
    ChannelFixtures membership(String changeId, String segmentId, String profileId, boolean entered, long sequence,
                               boolean holdout) {
        pending.add(KafkaFixtures.event(Topic.MEMBERSHIPS.topicName(), profileId, changeId,
                CloudEvents.TYPE_MEMBERSHIP_CHANGED, workspace, json(new MembershipChanged(segmentId, "Segment " + segmentId,
                        profileId, entered ? "ENTERED" : "EXITED", Instant.now(), holdout, sequence))));
        return this;
    }

    ChannelFixtures enter(String segmentId, String profileId, long sequence) {
        return membership(segmentId, profileId, true, sequence, false);
    }

    /** Queues an erasure: the tombstone on satsuma.profiles.v1 and the marker on satsuma.profile-events.v1. */
    ChannelFixtures erase(String profileId) {
        ProducerRecord<String, String> tombstone = KafkaFixtures.event(Topic.PROFILES.topicName(), profileId,
                UUID.randomUUID().toString(), CloudEvents.TYPE_PROFILE_ERASED, workspace, null);
        pending.add(tombstone);
        pending.add(KafkaFixtures.event(Topic.PROFILE_EVENTS.topicName(), profileId, UUID.randomUUID().toString(),
                CloudEvents.TYPE_PROFILE_ERASED, workspace, json(new ProfileErased(profileId, Instant.now()))));
        return this;
    }

    /** Sends everything queued, in order, and waits until the broker has it. */
    void send() {
        KafkaFixtures.send(bootstrap(), List.copyOf(pending));
        pending.clear();
    }

    String destination(String type, Map<String, String> config, Map<String, String> secrets) {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", type + " in the sandbox", "type", type, "config", config, "secrets", secrets))
                .post("/v1/destinations").then().statusCode(201).extract().path("id");
    }

    String metaDestination(String audienceId) {
        return destination("meta_custom_audience", Map.of("audienceId", audienceId, "baseUrl", sandbox().baseUrl("meta")),
                Map.of("accessToken", "EAAB-sandbox-token"));
    }

    String twilioDestination(String rate) {
        Map<String, String> config = new LinkedHashMap<>(Map.of("accountSid", "AC" + "0123456789abcdef".repeat(2),
                "from", "+15005550006", "baseUrl", sandbox().baseUrl("twilio")));
        if (rate != null) {
            config.put("rate", rate);
            config.put("burst", rate);
        }
        return destination("twilio_sms", config, Map.of("authToken", "0123456789abcdef0123456789abcdef"));
    }

    String sync(String segmentId, String destinationId, Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("segmentId", segmentId, "destinationId", destinationId));
        if (settings != null) {
            body.put("settings", settings);
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(body)
                .post("/v1/syncs").then().statusCode(201).extract().path("id");
    }

    ValidatableResponse status(String syncId) {
        return given().auth().oauth2(adminToken).get("/v1/syncs/" + syncId + "/status").then().statusCode(200);
    }

    /** The profile commands activation sent to profile-service about a profile (on satsuma.events.v1). */
    static List<JsonNode> profileCommands(String profileId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap());
        props.put("group.id", "test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        List<JsonNode> commands = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topic.EVENTS.topicName()));
            long until = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    if (profileId.equals(r.key()) && CloudEvents.TYPE_PROFILE_COMMAND.equals(
                            CloudEventRecords.header(r, CloudEvents.HEADER_TYPE))) {
                        commands.add(JSON.readTree(r.value()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return commands;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
