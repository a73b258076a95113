package io.satsuma.activation.adapter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.satsuma.activation.domain.WebhookSignature;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.delivery.v1.DeliveryCompleted;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.PrometheusText;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.testing.KafkaFixtures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "activation"))
class WebhookSyncTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String SECRET = "whsec_test-secret-0123456789";

    /** A webhook receiver that verifies each signature, like a real one must. */
    record Received(JsonNode body, boolean signatureValid, String deliveryId) {
    }

    private HttpServer stub;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private volatile int failureStatus = 503;
    private String workspace;
    private String adminToken;

    @BeforeEach
    void startStub() throws Exception {
        workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        adminToken = token(workspace, "admin");
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (failuresToServe.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(failureStatus, -1);
                exchange.close();
                return;
            }
            long timestamp = Long.parseLong(exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER));
            boolean valid = WebhookSignature.verify(SECRET, timestamp, body,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER))
                    && "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            received.add(new Received(JSON.readTree(body), valid,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.DELIVERY_HEADER)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    @Test
    void enterIsPostedSignedOnceEvenWhenRedeliveredAndRetriedAfter5xx() throws Exception {
        double sentBefore = metric("satsuma_deliveries_total", PrometheusText.label("outcome", DeliveryCompleted.SENT));
        String segmentId = UUID.randomUUID().toString();
        String syncId = createSync(segmentId);
        failuresToServe.set(1);
        String changeId = UUID.randomUUID().toString();
        MembershipChanged entered = new MembershipChanged(segmentId, "Recent buyers", "p-1", "ENTERED", Instant.now(), false, 1);

        publish(changeId, entered);
        publish(changeId, entered); // at-least-once: the same change again

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 1);
        Received hook = received.get(0);
        assertThat(hook.signatureValid()).isTrue();
        assertThat(hook.deliveryId()).isEqualTo(changeId);
        assertThat(hook.body().path("type").asText()).isEqualTo("segment.entered");
        assertThat(hook.body().path("segment").path("name").asText()).isEqualTo("Recent buyers");
        assertThat(hook.body().path("profile").path("id").asText()).isEqualTo("p-1");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().auth().oauth2(adminToken).get("/v1/syncs/" + syncId + "/status").then().statusCode(200)
                        .body("sent", equalTo(1)).body("pending", equalTo(0)).body("failed", equalTo(0)));
        // The same profile's next change is delivered after anything the first one could still cause.
        publish(UUID.randomUUID().toString(), new MembershipChanged(segmentId, "Recent buyers", "p-1", "EXITED",
                Instant.now(), false, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
        assertThat(received).extracting(r -> r.body().path("type").asText())
                .containsExactly("segment.entered", "segment.exited");
        // Operators count deliveries by destination and outcome (issue 15 §3): these two, sent once each.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                metric("satsuma_deliveries_total", PrometheusText.label("outcome", DeliveryCompleted.SENT)) - sentBefore)
                .isEqualTo(2));
    }

    private static double metric(String name, String... labels) {
        return PrometheusText.sum(given().get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
    }

    @Test
    void anExitWaitsForItsFailedEnterToBeRetriedAndHoldoutsAreNeverSent() throws Exception {
        String segmentId = UUID.randomUUID().toString();
        String destinationId = createDestination();
        createSync(segmentId, destinationId);
        failuresToServe.set(1); // the entry's first attempt fails; the exit must not overtake its retry
        publish(UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p-2", "ENTERED", Instant.now(), false, 1));
        publish(UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p-2", "EXITED", Instant.now(), false, 2));
        // A holdout member, then (same profile, same partition, so consumed after it) a change of another synced
        // segment: once that one has arrived, the holdout's change was consumed and planned nothing.
        String other = UUID.randomUUID().toString();
        createSync(other, destinationId);
        publish(UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p-3", "ENTERED", Instant.now(), true, 1));
        publish(UUID.randomUUID().toString(), new MembershipChanged(other, "Other", "p-3", "ENTERED", Instant.now(), false, 1));

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 3);
        assertThat(received).filteredOn(r -> r.body().path("profile").path("id").asText().equals("p-2"))
                .extracting(r -> r.body().path("type").asText()).containsExactly("segment.entered", "segment.exited");
        assertThat(received).filteredOn(r -> r.body().path("profile").path("id").asText().equals("p-3"))
                .extracting(r -> r.body().path("segment").path("id").asText()).containsExactly(other);
    }

    @Test
    void deadLetteredDeliveriesAreSentAgainWhenTheSyncIsReplayed() throws Exception {
        String segmentId = UUID.randomUUID().toString();
        String syncId = createSync(segmentId);
        failureStatus = 400; // refused: not retried, dead-lettered at once
        failuresToServe.set(1);
        publish(UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p-4", "ENTERED", Instant.now(), false, 1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(adminToken)
                .get("/v1/syncs/" + syncId + "/status").then().body("failed", equalTo(1)).body("lastError", Matchers.containsString("HTTP 400")));

        given().auth().oauth2(adminToken).post("/v1/syncs/" + syncId + "/replay").then().statusCode(200)
                .body("requeued", equalTo(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(adminToken)
                .get("/v1/syncs/" + syncId + "/status").then().body("sent", equalTo(1)).body("failed", equalTo(0)));
        assertThat(received).extracting(Received::signatureValid).containsExactly(true);
        given().auth().oauth2(adminToken).post("/v1/syncs/" + syncId + "/replay").then().statusCode(200)
                .body("requeued", equalTo(0));
        given().auth().oauth2(adminToken).post("/v1/syncs/nope/replay").then().statusCode(404);
    }

    @Test
    void aDeadLetteredMembershipChangeIsReplayedIntoOneDelivery() throws Exception {
        String segmentId = UUID.randomUUID().toString();
        String syncId = createSync(segmentId);
        String changeId = UUID.randomUUID().toString();
        KafkaFixtures.deadLetter(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                Topic.MEMBERSHIPS.topicName(), "activation-service", "memberships-in", "p-5", changeId,
                CloudEvents.TYPE_MEMBERSHIP_CHANGED, workspace, JSON.writeValueAsString(
                        new MembershipChanged(segmentId, "S", "p-5", "ENTERED", Instant.now(), false, 1)),
                "transient failures for longer than PT10M: PSQLException (SQLSTATE 08001)");
        given().auth().oauth2(adminToken).get("/v1/dead-letters").then().statusCode(200)
                .body("ceId", Matchers.contains(changeId));

        for (int replay = 1; replay <= 2; replay++) {
            given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Map.of()).post("/v1/dead-letters/replay")
                    .then().statusCode(200).body("outcome", Matchers.contains("REPLAYED"));
            given().auth().oauth2(adminToken).get("/v1/syncs/" + syncId + "/status").then()
                    .body("sent", Matchers.lessThanOrEqualTo(1))
                    .body("pending", Matchers.lessThanOrEqualTo(1));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(adminToken)
                .get("/v1/syncs/" + syncId + "/status").then().body("sent", equalTo(1)).body("pending", equalTo(0)));
        assertThat(received).extracting(Received::deliveryId).containsExactly(changeId);
    }

    @Test
    void anErasedPersonsDeliveriesAreForgotten() throws Exception {
        String segmentId = UUID.randomUUID().toString();
        String syncId = createSync(segmentId);
        publish(UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p-erased", "ENTERED", Instant.now(), false, 1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(adminToken).get("/v1/syncs/" + syncId + "/status").then().body("sent", equalTo(1)));

        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(CloudEventRecords.record(Topic.PROFILE_EVENTS.topicName(), "p-erased", UUID.randomUUID().toString(),
                    CloudEvents.TYPE_PROFILE_ERASED, "/test", Instant.now(), workspace,
                    JSON.writeValueAsString(new ProfileErased("p-erased", Instant.now())))).get();
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(adminToken).get("/v1/syncs/" + syncId + "/status").then().body("sent", equalTo(0)));
    }

    @Test
    void destinationSecretIsNeverReturnedAndBadInputIsAProblem() {
        String id = given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "crm", "type", "webhook", "url", "http://127.0.0.1:1/x"))
                .post("/v1/destinations").then().statusCode(201).body("secret", Matchers.startsWith("whsec_"))
                .extract().path("id");
        given().auth().oauth2(adminToken).get("/v1/destinations").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.secret", nullValue());
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "", "type", "webhook", "url", "ftp://nope")).post("/v1/destinations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", Matchers.hasItems("/name", "/config/url"));
        given().auth().oauth2(token(workspace, "analyst")).get("/v1/destinations").then().statusCode(403);
        // Analysts and editors read syncs and their status (the console shows them); only admins change them.
        given().auth().oauth2(token(workspace, "analyst")).get("/v1/syncs").then().statusCode(200);
        given().auth().oauth2(token(workspace, "segment-editor")).contentType(ContentType.JSON)
                .body(Map.of("segmentId", "s", "destinationId", id)).post("/v1/syncs").then().statusCode(403);
        given().get("/v1/destinations").then().statusCode(401);
        given().auth().oauth2(token("other", "admin")).get("/v1/destinations").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void destinationsMayNotPointIntoTheServicesOwnNetwork() {
        // The test configuration allows loopback (the stubs), as the run command does; nothing else internal.
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/hook", "http://[fd00::1]/hook",
                "http://192.168.1.10:8080/hook")) {
            given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                    .body(Map.of("name", "internal", "type", "webhook", "url", url)).post("/v1/destinations")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.pointer", Matchers.contains("/config/url"))
                    .body("errors[0].message", Matchers.containsString("internal address"));
        }
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "internal", "type", "webhook",
                        "config", Map.of("url", "https://93.184.216.34/hook", "baseUrl", "http://172.20.0.1"))).post("/v1/destinations")
                .then().statusCode(400).body("errors.pointer", Matchers.hasItem("/config/baseUrl"));
        given().auth().oauth2(adminToken).get("/v1/destinations").then().statusCode(200)
                .body("name", Matchers.not(Matchers.hasItem("internal")));
    }

    private String createSync(String segmentId) {
        return createSync(segmentId, createDestination());
    }

    private String createDestination() {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "stub", "type", "webhook", "secret", SECRET,
                        "url", "http://127.0.0.1:" + stub.getAddress().getPort() + "/hook"))
                .post("/v1/destinations").then().statusCode(201).extract().path("id");
    }

    private String createSync(String segmentId, String destinationId) {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("segmentId", segmentId, "destinationId", destinationId))
                .post("/v1/syncs").then().statusCode(201).extract().path("id");
    }

    private void publish(String changeId, MembershipChanged change) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(CloudEventRecords.record(Topic.MEMBERSHIPS.topicName(), change.profileId(), changeId,
                    CloudEvents.TYPE_MEMBERSHIP_CHANGED, "/test", Instant.now(), workspace,
                    JSON.writeValueAsString(change))).get();
        }
    }

    private static String token(String workspace, String... roles) {
        return DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, roles);
    }
}
