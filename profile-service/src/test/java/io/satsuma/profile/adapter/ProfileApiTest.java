package io.satsuma.profile.adapter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.PrometheusText;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.localinfra.TopicReader;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ProfileKeyPartitioner;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "profile"))
class ProfileApiTest {
    private static final Set<String> COMPACTED_TOPICS =
            Set.of(Topic.PROFILE_EVENTS.topicName(), Topic.PROFILES.topicName());

    @Inject
    Sql sql;

    @TestHTTPResource("/v1/batch")
    URI batchUrl;

    private String workspace;
    private String adminToken;
    private String writeKey;

    @BeforeEach
    void newWorkspaceWithSource() {
        workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        adminToken = token(workspace, "admin");
        writeKey = given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "web")).post("/v1/sources")
                .then().statusCode(201).extract().path("writeKey");
    }

    @Test
    void anonymousVisitorWhoIdentifiesAndOrdersBecomesOneProfile() {
        String anon = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        String email = user + "@Example.com";
        send("/v1/batch", Map.of("batch", List.of(
                track(anon, null, "Product Viewed", Map.of("sku", "A-1")),
                track(anon, null, "Product Viewed", Map.of("sku", "B-2")),
                Map.of("type", "identify", "anonymousId", anon, "userId", user, "messageId", id(),
                        "traits", Map.of("email", email, "plan", "gold", "phone", "+1 (202) 555-0123")),
                track(null, user, "Order Completed", Map.of("revenue", 99.5, "order_id", "o-1")))))
                .statusCode(200).body("success", equalTo(true));

        ValidatableResponse profile = await().atMost(Duration.ofSeconds(30)).until(
                () -> given().auth().oauth2(adminToken).queryParam("type", "email").queryParam("value", email.toLowerCase())
                        .get("/v1/profiles/lookup").then(),
                r -> r.extract().statusCode() == 200 && r.extract().<Integer>path("aggregates.eventCount") == 4);

        profile.body("identifiers.value", hasItem(anon))
                .body("identifiers.findAll { it.type == 'phone' }.value", hasItem("+12025550123"))
                .body("identifiers.value", hasItem(user))
                .body("aggregates.orderCount", equalTo(1))
                .body("aggregates.totalRevenue", equalTo(99.5f))
                .body("traits.plan", equalTo("gold"));
        String id = profile.extract().path("id");
        given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", anon)
                .get("/v1/profiles/lookup").then().statusCode(200).body("id", equalTo(id));
    }

    /** Operators see ingestion and identity resolution in the Prometheus metrics (issue 15 §3). */
    @Test
    void metricsCountAcceptedAndRefusedMessagesAndMerges() {
        double accepted = metric("satsuma_ingestion_messages_total");
        double unauthenticated = metric("satsuma_ingestion_refusals_total", PrometheusText.label("reason", "unauthenticated"));
        double invalid = metric("satsuma_ingestion_refusals_total", PrometheusText.label("reason", "invalid"));
        double merges = metric("satsuma_profile_merges_total", PrometheusText.label("outcome", "merged"));
        String anon = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        send("/v1/batch", Map.of("batch", List.of(track(anon, null, "Product Viewed", Map.of()),
                track(null, user, "Product Viewed", Map.of())))).statusCode(200);
        awaitProfile("user_id", user, 1);
        awaitProfile("anonymous_id", anon, 1);
        send("/v1/identify", Map.of("anonymousId", anon, "userId", user, "messageId", id())).statusCode(200);
        send("/v1/track", Map.of("anonymousId", anon, "messageId", id())).statusCode(400);
        given().auth().preemptive().basic("wk_unknown", "").contentType(ContentType.JSON)
                .body(track(anon, null, "X", Map.of())).post("/v1/track").then().statusCode(401);
        awaitProfile("user_id", user, 3);

        assertThat(metric("satsuma_ingestion_messages_total") - accepted).isEqualTo(3);
        assertThat(metric("satsuma_ingestion_refusals_total", PrometheusText.label("reason", "unauthenticated")) - unauthenticated).isEqualTo(1);
        assertThat(metric("satsuma_ingestion_refusals_total", PrometheusText.label("reason", "invalid")) - invalid).isEqualTo(1);
        assertThat(metric("satsuma_profile_merges_total", PrometheusText.label("outcome", "merged")) - merges).isEqualTo(1);
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).contains("satsuma_outbox_backlog");
    }

    private static double metric(String name, String... labels) {
        return PrometheusText.sum(given().get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
    }

    @Test
    void aWorkspaceSetsItsOwnIdentityRules() {
        given().auth().oauth2(adminToken).get("/v1/identity-rules").then().statusCode(200)
                .body("types.email.limit", equalTo(5)).body("types.user_id.priority", equalTo(300));
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("types", Map.of("email", Map.of("limit", 0, "priority", 200), "fax", Map.of("limit", 1),
                                "phone", Map.of("limit", 1)),
                        "blockedValues", List.of("guest"), "defaultPhoneRegion", "XX"))
                .put("/v1/identity-rules").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/types/email/limit"))
                .body("errors.pointer", hasItem("/types/fax"))
                .body("errors.pointer", hasItem("/types/phone/priority"))
                .body("errors.pointer", hasItem("/defaultPhoneRegion"))
                .body("errors.pointer", hasItem("/types/user_id"));
        given().auth().oauth2(token(workspace, "analyst")).get("/v1/identity-rules").then().statusCode(403);

        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("types", Map.of("user_id", Map.of("limit", 1, "priority", 300),
                                "email", Map.of("limit", 1, "priority", 200),
                                "anonymous_id", Map.of("limit", Integer.MAX_VALUE, "priority", 100)),
                        "blockedValues", List.of("Guest")))
                .put("/v1/identity-rules").then().statusCode(200).body("types.email.limit", equalTo(1))
                .body("blockedValues", hasItem("guest"));

        // One email per profile now: a second email stays off the profile, and the refusal is journaled.
        String anon = "anon-" + UUID.randomUUID();
        send("/v1/identify", Map.of("type", "identify", "anonymousId", anon, "messageId", id(),
                "traits", Map.of("email", "first@example.com"))).statusCode(200);
        send("/v1/identify", Map.of("type", "identify", "anonymousId", anon, "messageId", id(),
                "traits", Map.of("email", "second@example.com"))).statusCode(200);
        send("/v1/track", track("guest", null, "Product Viewed", Map.of())).statusCode(200);
        ValidatableResponse profile = await().atMost(Duration.ofSeconds(30)).until(
                () -> given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", anon)
                        .get("/v1/profiles/lookup").then(),
                r -> r.extract().statusCode() == 200 && r.extract().<Integer>path("aggregates.eventCount") == 2);
        profile.body("identifiers.value", hasItem("first@example.com"))
                .body("identifiers.value", not(hasItem("second@example.com")));
        given().auth().oauth2(adminToken).get("/v1/profiles/" + profile.extract().path("id") + "/merges").then()
                .statusCode(200).body("outcome", hasItem("REFUSED"));
        given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", "guest")
                .get("/v1/profiles/lookup").then().statusCode(404);

        // Other workspaces keep the defaults.
        given().auth().oauth2(token("elsewhere-" + UUID.randomUUID(), "admin")).get("/v1/identity-rules").then()
                .statusCode(200).body("types.email.limit", equalTo(5));
    }

    @Test
    void identifyLinkingTwoKnownVisitorsMergesThemAndRecomputesAggregates() {
        String phone = "anon-" + UUID.randomUUID();
        String laptop = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        send("/v1/track", track(phone, null, "Order Completed", Map.of("revenue", 10))).statusCode(200);
        send("/v1/track", track(laptop, null, "Order Completed", Map.of("revenue", 32))).statusCode(200);
        String phoneProfile = awaitProfile("anonymous_id", phone, 1);
        String laptopProfile = awaitProfile("anonymous_id", laptop, 1);
        assertThat(phoneProfile).isNotEqualTo(laptopProfile);

        send("/v1/identify", Map.of("anonymousId", phone, "userId", user, "messageId", id())).statusCode(200);
        awaitProfile("user_id", user, 2);
        send("/v1/identify", Map.of("anonymousId", laptop, "userId", user, "messageId", id())).statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", laptop)
                        .get("/v1/profiles/lookup").then().statusCode(200)
                        .body("id", equalTo(phoneProfile))
                        .body("aggregates.orderCount", equalTo(2))
                        .body("aggregates.totalRevenue", equalTo(42))
                        .body("aggregates.eventCount", equalTo(4)));
        given().auth().oauth2(adminToken).get("/v1/profiles/" + laptopProfile).then().statusCode(200)
                .body("status", equalTo("MERGED")).body("mergedInto", equalTo(phoneProfile));
        given().auth().oauth2(adminToken).get("/v1/profiles/" + phoneProfile + "/merges").then().statusCode(200)
                .body("outcome", hasItem("MERGED")).body("absorbedId", hasItem(laptopProfile));
    }

    @Test
    void anUnmergeRestoresBothProfilesWithTheirOwnEventsAndKeepsThemApart() {
        String user = "user-" + UUID.randomUUID();
        String laptop = "anon-" + UUID.randomUUID();
        send("/v1/identify", Map.of("userId", user, "messageId", id(),
                "traits", Map.of("plan", "gold", "consent", Map.of("email", true)))).statusCode(200);
        String userProfile = awaitProfile("user_id", user, 1);
        Map<String, Object> order = track(laptop, null, "Order Completed", Map.of("revenue", 32));
        order.put("context", Map.of("location", Map.of("country", "NL"), "device", Map.of("type", "ios")));
        send("/v1/track", order).statusCode(200);
        String laptopProfile = awaitProfile("anonymous_id", laptop, 1);
        // Someone else signs in on the laptop: the two profiles merge into the older (the user's) ...
        send("/v1/identify", Map.of("anonymousId", laptop, "userId", user, "messageId", id())).statusCode(200);
        awaitProfile("user_id", user, 3);
        // ... and the laptop's next order lands on the merged profile.
        send("/v1/track", track(laptop, null, "Order Completed", Map.of("revenue", 5))).statusCode(200);
        awaitProfile("user_id", user, 4);
        given().auth().oauth2(adminToken).get("/v1/profiles/" + userProfile).then()
                .body("aggregates.orderCount", equalTo(2)).body("aggregates.location.country", equalTo("NL"));

        given().auth().oauth2(token(workspace, "analyst")).contentType(ContentType.JSON)
                .body(Map.of("profileId", laptopProfile, "reason", "shared laptop"))
                .post("/v1/profiles/" + userProfile + "/unmerge").then().statusCode(403);
        given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Map.of("profileId", laptopProfile))
                .post("/v1/profiles/" + userProfile + "/unmerge").then().statusCode(400)
                .contentType("application/problem+json").body("errors.pointer", hasItem("/reason"));
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("profileId", laptopProfile, "reason", "shared laptop"))
                .post("/v1/profiles/" + userProfile + "/unmerge").then().statusCode(200)
                .body("eventIds.size()", equalTo(2))
                .body("restored.id", equalTo(laptopProfile))
                .body("restored.status", equalTo("ACTIVE"))
                .body("restored.identifiers.value", Matchers.contains(laptop))
                .body("restored.aggregates.orderCount", equalTo(2))
                .body("restored.aggregates.totalRevenue", equalTo(37))
                .body("restored.aggregates.deviceTypes.ios", equalTo(1))
                .body("restored.aggregates.location.country", equalTo("NL"))
                .body("survivor.identifiers.value", Matchers.contains(user))
                .body("survivor.aggregates.orderCount", equalTo(0))
                .body("survivor.aggregates.eventCount", equalTo(2))
                .body("survivor.aggregates.location", nullValue())
                .body("survivor.aggregates.consent.email.granted", equalTo(true))
                .body("survivor.traits.plan", equalTo("gold"));
        given().auth().oauth2(adminToken).get("/v1/profiles/" + userProfile + "/merges").then().statusCode(200)
                .body("outcome", Matchers.contains("MERGED", "UNMERGED"))
                .body("reason[1]", equalTo("shared laptop"));
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("profileId", laptopProfile, "reason", "again"))
                .post("/v1/profiles/" + userProfile + "/unmerge").then().statusCode(409)
                .contentType("application/problem+json");
        // The marker travels through the outbox: published shortly after the commit.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                TopicReader.readAll(bootstrap(), Topic.PROFILE_EVENTS.topicName()).stream()
                        .filter(r -> userProfile.equals(ProfileEventKeys.profileIdOf(r.key())))
                        .map(r -> new String(r.headers().lastHeader("ce_type").value())))
                .contains("io.satsuma.profile.unmerged.v1"));

        // The same link again is refused: an operator separated them.
        send("/v1/identify", Map.of("anonymousId", laptop, "userId", user, "messageId", id())).statusCode(200);
        awaitProfile("user_id", user, 3);
        given().auth().oauth2(adminToken).get("/v1/profiles/" + userProfile + "/merges").then()
                .body("outcome", hasItem("REFUSED")).body("reason", hasItem(Matchers.containsString("kept apart")));
        given().auth().oauth2(adminToken).get("/v1/profiles/" + laptopProfile).then()
                .body("status", equalTo("ACTIVE")).body("aggregates.orderCount", equalTo(2));
    }

    @Test
    void aSecondPersonSigningInOnADeviceGetsAProfileOfTheirOwn() {
        String device = "anon-" + UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        send("/v1/identify", Map.of("anonymousId", device, "userId", alice, "messageId", id())).statusCode(200);
        String aliceProfile = awaitProfile("user_id", alice, 1);
        send("/v1/track", track(device, bob, "Order Completed", Map.of("revenue", 12))).statusCode(200);

        String bobProfile = awaitProfile("user_id", bob, 1);
        assertThat(bobProfile).isNotEqualTo(aliceProfile);
        given().auth().oauth2(adminToken).get("/v1/profiles/" + bobProfile).then()
                .body("aggregates.orderCount", equalTo(1)).body("identifiers.value", Matchers.contains(bob));
        given().auth().oauth2(adminToken).get("/v1/profiles/" + aliceProfile).then()
                .body("aggregates.orderCount", equalTo(0)).body("identifiers.value", hasItem(device));
    }

    @Test
    void dayBucketsAndPrivateTraitsFollowTheWorkspaceSettings() {
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("retentionDays", 0, "dayBuckets", List.of(Map.of("event", ""))))
                .put("/v1/profile-settings").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", Matchers.containsInAnyOrder("/retentionDays", "/dayBuckets/0/event",
                        "/privateTraits"));
        given().auth().oauth2(token(workspace, "analyst")).get("/v1/profile-settings").then().statusCode(403);
        given().auth().oauth2(adminToken).get("/v1/profile-settings").then().statusCode(200)
                .body("retentionDays", equalTo(90)).body("privateTraits", hasItem("ssn"));
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("retentionDays", 400, "dayBuckets", List.of(Map.of("event", "Order Completed", "sum", "revenue")),
                        "privateTraits", List.of("passport")))
                .put("/v1/profile-settings").then().statusCode(200).body("privateTraits", equalTo(List.of("passport")));

        String user = "user-" + UUID.randomUUID();
        send("/v1/batch", Map.of("batch", List.of(
                Map.of("type", "identify", "userId", user, "messageId", id(),
                        "traits", Map.of("plan", "gold", "passport", "X123")),
                track(null, user, "Order Completed", Map.of("revenue", 20)),
                track(null, user, "Order Completed", Map.of("revenue", 2.5)),
                track(null, user, "Product Viewed", Map.of())))).statusCode(200);
        String profileId = awaitProfile("user_id", user, 4);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        given().auth().oauth2(adminToken).get("/v1/profiles/" + profileId + "/days").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].day", equalTo(today)).body("[0].event", equalTo("Order Completed"))
                .body("[0].count", equalTo(2)).body("[0].sum", equalTo(22.5f));
        given().auth().oauth2(adminToken).queryParam("from", "yesterday").get("/v1/profiles/" + profileId + "/days")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(adminToken).get("/v1/profiles/" + profileId).then().body("traits.passport", equalTo("X123"));
        List<String> snapshots = await().atMost(Duration.ofSeconds(20)).until(
                () -> TopicReader.readAll(bootstrap(), Topic.PROFILES.topicName()).stream()
                        .filter(r -> profileId.equals(r.key())).map(r -> r.value()).toList(),
                published -> published.stream().anyMatch(snapshot -> snapshot.contains("\"eventCount\":4")));
        assertThat(snapshots).anySatisfy(snapshot -> assertThat(snapshot).contains("gold"))
                .allSatisfy(snapshot -> assertThat(snapshot).doesNotContain("X123"));
    }

    @Test
    void twoDifferentUserIdsAreNeverMergedAndTheRefusalIsJournaled() {
        String anon = "anon-" + UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        send("/v1/identify", Map.of("anonymousId", anon, "userId", alice, "messageId", id())).statusCode(200);
        awaitProfile("user_id", alice, 1);
        send("/v1/identify", Map.of("userId", bob, "messageId", id())).statusCode(200);
        String bobProfile = awaitProfile("user_id", bob, 1);
        // A shared device: bob's login on alice's anonymous id must not fuse the two people.
        send("/v1/identify", Map.of("anonymousId", anon, "userId", bob, "messageId", id())).statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(adminToken).get("/v1/profiles/" + bobProfile + "/merges").then().statusCode(200)
                        .body("outcome", hasItem("REFUSED")));
        String aliceProfile = awaitProfile("user_id", alice, 1);
        assertThat(aliceProfile).isNotEqualTo(bobProfile);
    }

    @Test
    void redeliveredMessageIdIsCountedOnce() {
        String anon = "anon-" + UUID.randomUUID();
        Map<String, Object> event = track(anon, null, "Product Viewed", Map.of());
        send("/v1/track", event).statusCode(200);
        send("/v1/track", event).statusCode(200);
        // Same key, so processed after the duplicate: once the order shows, the duplicate has been handled.
        send("/v1/track", track(anon, null, "Order Completed", Map.of("revenue", 1))).statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", anon)
                        .get("/v1/profiles/lookup").then().statusCode(200)
                        .body("aggregates.orderCount", equalTo(1))
                        .body("aggregates.eventCount", equalTo(2)));
    }

    @Test
    void malformedBatchIsRefusedWholeWithPointersAndNothingReachesTheLog() {
        String anon = "anon-" + UUID.randomUUID();
        Map<String, Object> valid = track(anon, null, "Product Viewed", Map.of());
        given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON)
                .body(Map.of("batch", List.of(valid,
                        Map.of("type", "track", "anonymousId", anon, "messageId", id()),
                        Map.of("type", "shout", "messageId", id()))))
                .post("/v1/batch").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.pointer", hasItem("/batch/1/event"))
                .body("errors.pointer", hasItem("/batch/2/type"))
                .body("errors.pointer", hasItem("/batch/2/userId"));

        assertThat(messageIdsInEventLog()).doesNotContain((String) valid.get("messageId"));
    }

    @Test
    void invalidJsonIsAProblemNotAStackTrace() {
        given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON).body("{\"batch\": [")
                .post("/v1/batch").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid request"));
    }

    @Test
    void gzipBodiesAndJsonUnderAnyContentTypeAreAcceptedAndAnInflatingBodyIsRefusedBeforeParsing() throws Exception {
        String anon = "anon-" + UUID.randomUUID();
        Map<String, Object> viewed = track(anon, null, "Product Viewed", Map.of());
        // Labelled as a form, gzipped (RestAssured would encode a form itself: sent with the JDK client).
        HttpResponse<String> labelledAsForm = HttpClient.newHttpClient().send(HttpRequest.newBuilder(batchUrl)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(EVENT_JSON.writeValueAsBytes(Map.of("batch", List.of(viewed))))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(labelledAsForm.statusCode()).as(labelledAsForm.body()).isEqualTo(200);
        given().auth().preemptive().basic(writeKey, "").contentType("text/plain")
                .body(EVENT_JSON.writeValueAsBytes(track(anon, null, "Order Completed", Map.of("revenue", 5))))
                .post("/v1/track").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", anon)
                        .get("/v1/profiles/lookup").then().statusCode(200).body("aggregates.eventCount", equalTo(2)));

        // Valid JSON padded to 8 MB inflates from about 8 KB: refused once 500 KB have been inflated, nothing accepted.
        Map<String, Object> padded = track(anon, null, "Product Viewed", Map.of());
        byte[] bomb = gzip((EVENT_JSON.writeValueAsString(Map.of("batch", List.of(padded))) + " ".repeat(8 << 20))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).isLessThan(20_000);
        given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON).header("Content-Encoding", "gzip")
                .body(bomb).post("/v1/batch").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("inflates to more than 512000 bytes"));
        given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON).header("Content-Encoding", "gzip")
                .body("{\"batch\": []}".getBytes(StandardCharsets.UTF_8)).post("/v1/batch").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not valid gzip"));
        given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON).header("Content-Encoding", "br")
                .body(EVENT_JSON.writeValueAsBytes(viewed)).post("/v1/track").then().statusCode(415)
                .contentType("application/problem+json");
        assertThat(messageIdsInEventLog()).doesNotContain((String) padded.get("messageId"));
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void databaseErrorsDoNotQuoteTheValuesOfTheRowsTheyConcern() {
        // A duplicate key's detail would name the value ("Key (email)=(…) already exists"): the driver is told to
        // leave server details out of exception messages, which logs and problem documents may repeat.
        String email = "leak-" + UUID.randomUUID() + "@example.com";
        sql.update("CREATE TABLE IF NOT EXISTS error_detail_probe (email TEXT PRIMARY KEY)");
        sql.update("INSERT INTO error_detail_probe (email) VALUES (?)", email);
        Throwable failure = catchThrowable(
                () -> sql.update("INSERT INTO error_detail_probe (email) VALUES (?)", email));
        assertThat(failure).isNotNull();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(email);
        }
        assertThat(failure).hasStackTraceContaining("duplicate key");
    }

    @Test
    void ingestionNeedsAValidWriteKey() {
        given().contentType(ContentType.JSON).body(track("a", null, "X", Map.of())).post("/v1/track")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().preemptive().basic("wk_not-a-key", "").contentType(ContentType.JSON)
                .body(track("a", null, "X", Map.of())).post("/v1/track").then().statusCode(401);
    }

    @Test
    void apiNeedsATokenTheRightRoleAndTheSameWorkspace() {
        String anon = "anon-" + UUID.randomUUID();
        send("/v1/track", track(anon, null, "Product Viewed", Map.of())).statusCode(200);
        String profileId = awaitProfile("anonymous_id", anon, 1);

        given().get("/v1/profiles/" + profileId).then().statusCode(401);
        given().auth().oauth2(token(workspace, "membership-reader")).get("/v1/profiles/" + profileId)
                .then().statusCode(403);
        given().auth().oauth2(token(workspace, "analyst")).contentType(ContentType.JSON)
                .body(Map.of("name", "x")).post("/v1/sources").then().statusCode(403);
        given().auth().oauth2(token("another-workspace", "admin")).get("/v1/profiles/" + profileId)
                .then().statusCode(404);
        given().auth().oauth2(token(workspace, "analyst")).get("/v1/profiles/" + profileId)
                .then().statusCode(200);
    }

    @Test
    void writeKeysRotateAndRevoke() {
        String sourceId = given().auth().oauth2(adminToken).get("/v1/sources").then().statusCode(200)
                .body("writeKey", everyItem(nullValue())).extract().path("[0].id");
        String rotated = given().auth().oauth2(adminToken).post("/v1/sources/" + sourceId + "/rotate").then()
                .statusCode(200).extract().path("writeKey");

        send("/v1/track", track("a-" + UUID.randomUUID(), null, "X", Map.of())).statusCode(401);
        given().auth().preemptive().basic(rotated, "").contentType(ContentType.JSON)
                .body(track("a-" + UUID.randomUUID(), null, "X", Map.of())).post("/v1/track").then().statusCode(200);

        given().auth().oauth2(adminToken).delete("/v1/sources/" + sourceId).then().statusCode(204);
        given().auth().preemptive().basic(rotated, "").contentType(ContentType.JSON)
                .body(track("a-" + UUID.randomUUID(), null, "X", Map.of())).post("/v1/track").then().statusCode(401);
        given().auth().oauth2(adminToken).post("/v1/sources/" + sourceId + "/rotate").then().statusCode(409);
        given().auth().oauth2(token("other-" + workspace, "admin")).delete("/v1/sources/" + sourceId).then().statusCode(404);
    }

    /**
     * Erasure reaches the Kafka topics (ADR 018): a tombstone under the key of every event the person's profiles
     * published, and of every snapshot, so that compaction removes them — proven by letting the real broker compact
     * the topics, with another person's events left as they were.
     */
    @Test
    void anErasedPersonsEventsAndSnapshotsAreCompactedAwayFromTheTopics() throws Exception {
        String anon = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        String email = user + "@example.com";
        String bystander = "anon-" + UUID.randomUUID();
        // Two profiles (an anonymous visitor, a known user) that an identify merges: events under both keys.
        send("/v1/track", track(anon, null, "Product Viewed", Map.of("sku", "A-1"))).statusCode(200);
        send("/v1/track", track(null, user, "Order Completed", Map.of("revenue", 12.5, "email", email))).statusCode(200);
        send("/v1/track", track(bystander, null, "Product Viewed", Map.of("sku", "B-2"))).statusCode(200);
        String anonProfile = awaitProfile("anonymous_id", anon, 1);
        String userProfile = awaitProfile("user_id", user, 1);
        send("/v1/identify", Map.of("type", "identify", "anonymousId", anon, "userId", user, "messageId", id(),
                "traits", Map.of("email", email))).statusCode(200);
        send("/v1/track", track(anon, null, "Product Added", Map.of("sku", "A-1"))).statusCode(200);
        String survivor = awaitProfile("email", email, 4);
        String bystanderProfile = awaitProfile("anonymous_id", bystander, 1);
        Set<String> personsProfiles = Set.of(anonProfile, userProfile);
        assertThat(personsProfiles).contains(survivor);

        List<ConsumerRecord<String, String>> published = await().atMost(Duration.ofSeconds(20)).until(
                () -> eventsOf(TopicReader.readAll(bootstrap(), Topic.PROFILE_EVENTS.topicName()), personsProfiles),
                events -> events.size() == 4);
        assertThat(published).extracting(r -> ProfileEventKeys.profileIdOf(r.key())).containsOnlyElementsOf(personsProfiles)
                .contains(anonProfile, userProfile);

        given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Map.of("type", "email", "value", email))
                .post("/v1/gdpr/erase").then().statusCode(200).body("profileId", equalTo(survivor));

        // Each event key gets a tombstone later on its own partition, which is its profile's partition.
        Map<String, ConsumerRecord<String, String>> tombstones = await().atMost(Duration.ofSeconds(20)).until(
                () -> TopicReader.readAll(bootstrap(), Topic.PROFILE_EVENTS.topicName()).stream()
                        .filter(r -> r.value() == null).collect(Collectors.toMap(ConsumerRecord::key, r -> r, (a, b) -> b)),
                found -> published.stream().allMatch(event -> found.containsKey(event.key())));
        for (ConsumerRecord<String, String> event : published) {
            ConsumerRecord<String, String> tombstone = tombstones.get(event.key());
            assertThat(tombstone.partition()).isEqualTo(event.partition())
                    .isEqualTo(ProfileKeyPartitioner.partitionOf(
                            ProfileEventKeys.profileIdOf(event.key()).getBytes(StandardCharsets.UTF_8),
                            Topic.PROFILE_PARTITIONS));
            assertThat(tombstone.offset()).isGreaterThan(event.offset());
            assertThat(CloudEventRecords.header(tombstone, CloudEvents.HEADER_TYPE))
                    .isEqualTo(CloudEvents.TYPE_PROFILE_EVENT_ERASED);
        }

        compactNow();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                rollSegments();
                List<ConsumerRecord<String, String>> left = TopicReader.readAll(bootstrap(),
                        Topic.PROFILE_EVENTS.topicName(), Topic.PROFILES.topicName());
                assertThat(left).as("the person's events and snapshots are gone")
                        .noneMatch(r -> personsProfiles.contains(ProfileEventKeys.profileIdOf(r.key()))
                                && r.value() != null && !isMarker(r));
                assertThat(eventsOf(left, Set.of(bystanderProfile))).as("another person's events stay").hasSize(1);
            });
        } finally {
            restoreTopicConfigs();
        }
        List<ConsumerRecord<String, String>> left = TopicReader.readAll(bootstrap(), Topic.PROFILE_EVENTS.topicName());
        // What stays of the person: the pseudonymous markers (profile ids only), which say they were merged and erased.
        assertThat(left.stream().filter(r -> personsProfiles.contains(ProfileEventKeys.profileIdOf(r.key())))
                .filter(r -> r.value() != null).map(r -> CloudEventRecords.header(r, CloudEvents.HEADER_TYPE)))
                .containsOnly(CloudEvents.TYPE_PROFILES_MERGED, CloudEvents.TYPE_PROFILE_ERASED);
        assertThat(left.stream().filter(r -> r.value() != null && r.value().contains(email))).isEmpty();
    }

    private static boolean isMarker(ConsumerRecord<String, String> record) {
        String type = CloudEventRecords.header(record, CloudEvents.HEADER_TYPE);
        return CloudEvents.TYPE_PROFILES_MERGED.equals(type) || CloudEvents.TYPE_PROFILE_ERASED.equals(type);
    }

    private static List<ConsumerRecord<String, String>> eventsOf(List<ConsumerRecord<String, String>> records,
                                                                  Collection<String> profileIds) {
        return records.stream().filter(r -> r.value() != null
                        && CloudEvents.TYPE_PROFILE_EVENT.equals(CloudEventRecords.header(r, CloudEvents.HEADER_TYPE))
                        && profileIds.contains(ProfileEventKeys.profileIdOf(r.key())))
                .toList();
    }

    /** What the operator's 7 days do, in seconds: roll segments at once and clean whatever is dirty. */
    private static void compactNow() throws Exception {
        alter(Map.of("segment.ms", "100", "min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "0",
                "max.compaction.lag.ms", "100", "delete.retention.ms", "0"));
    }

    private static void restoreTopicConfigs() throws Exception {
        for (Topic topic : List.of(Topic.PROFILE_EVENTS, Topic.PROFILES)) {
            Collection<AlterConfigOp> ops = new ArrayList<>();
            topic.configs().forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            for (String k : List.of("segment.ms", "min.cleanable.dirty.ratio", "min.compaction.lag.ms",
                    "max.compaction.lag.ms", "delete.retention.ms")) {
                if (!topic.configs().containsKey(k)) {
                    ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE));
                }
            }
            try (Admin admin = admin()) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()), ops))
                        .all().get();
            }
        }
    }

    private static void alter(Map<String, String> set) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (String topic : COMPACTED_TOPICS) {
            changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), set.entrySet().stream()
                    .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                    .toList());
        }
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }

    /** A segment rolls only when a record arrives after segment.ms: one harmless record per partition. */
    private static void rollSegments() throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String topic : COMPACTED_TOPICS) {
                for (int p = 0; p < Topic.PROFILE_PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(topic, p, "roll/" + UUID.randomUUID(), "{}")).get();
                }
            }
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap()));
    }

    @Test
    void erasureDeletesThePersonSuppressesTheirIdentifiersAndIsAnnounced() {
        String anon = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        String email = user + "@example.com";
        send("/v1/batch", Map.of("batch", List.of(track(anon, null, "Product Viewed", Map.of()),
                Map.of("type", "identify", "anonymousId", anon, "userId", user, "messageId", id(),
                        "traits", Map.of("email", email))))).statusCode(200);
        String profileId = awaitProfile("email", email, 2);

        given().auth().oauth2(adminToken).queryParam("type", "email").queryParam("value", email)
                .get("/v1/gdpr/export").then().statusCode(200)
                .body("profile.state.id", equalTo(profileId)).body("events.size()", equalTo(2))
                .body("profile.identifiers.value", hasItem(anon))
                .body("days.event", hasItem("Product Viewed"));
        given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Map.of("type", "email", "value", email))
                .post("/v1/gdpr/erase").then().statusCode(200)
                .body("profileId", equalTo(profileId)).body("identifiersSuppressed", equalTo(3));

        given().auth().oauth2(adminToken).get("/v1/profiles/" + profileId).then().statusCode(404);
        // The suppression list keeps hashes, not the identifiers.
        assertThat(sql.query("SELECT row_to_json(s)::text FROM suppression s WHERE workspace = ?", rs -> rs.getString(1),
                workspace)).hasSize(3).noneMatch(row -> row.contains(email) || row.contains(anon) || row.contains(user));
        // New events of the erased person do not bring them back...
        send("/v1/track", track(anon, null, "Product Viewed", Map.of())).statusCode(200);
        String sentinel = "anon-" + UUID.randomUUID();
        send("/v1/track", track(sentinel, null, "Product Viewed", Map.of())).statusCode(200);
        awaitProfile("anonymous_id", sentinel, 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", anon)
                        .get("/v1/profiles/lookup").then().extract().statusCode() == 404);
        assertThat(eventTypesOnProfileTopics(profileId)).contains("io.satsuma.profile.erased.v1");

        // ...until the suppression is lifted.
        given().auth().oauth2(adminToken).queryParam("type", "anonymous_id").queryParam("value", anon)
                .delete("/v1/gdpr/suppressions").then().statusCode(204);
        send("/v1/track", track(anon, null, "Product Viewed", Map.of())).statusCode(200);
        awaitProfile("anonymous_id", anon, 1);
        given().auth().oauth2(token(workspace, "analyst")).contentType(ContentType.JSON)
                .body(Map.of("type", "email", "value", email)).post("/v1/gdpr/erase").then().statusCode(403);
    }

    @Test
    void serverSideProducersMayWriteTheSameEnvelopeToTheEventsTopic() throws Exception {
        String user = "server-" + UUID.randomUUID();
        IngestedEvent event = new IngestedEvent(
                UUID.randomUUID().toString(), "track", "Order Completed", user, null, null, null,
                Map.of("revenue", 25), Map.of(), Instant.now(), Instant.now(), "backend");
        String json = EVENT_JSON.writeValueAsString(event);
        publishToEventsTopic(user, json, json); // delivered twice: counted once
        // A later event of the same user travels on the same partition, after the duplicate.
        send("/v1/track", track(null, user, "Product Viewed", Map.of())).statusCode(200);
        awaitProfile("user_id", user, 2);
        given().auth().oauth2(adminToken).queryParam("type", "user_id").queryParam("value", user)
                .get("/v1/profiles/lookup").then().body("aggregates.totalRevenue", equalTo(25))
                .body("aggregates.orderCount", equalTo(1));
    }

    @Test
    void anEventThatCannotBeRecordedIsDeadLetteredAndTheRestOfItsBatchIsKept() throws Exception {
        String user = "server-" + UUID.randomUUID();
        Function<Instant, IngestedEvent> viewAt = at ->
                new IngestedEvent(UUID.randomUUID().toString(), "track", "Product Viewed",
                        user, null, null, null, Map.of(), Map.of(), at, Instant.now(), "backend");
        String noTime = EVENT_JSON.writeValueAsString(viewAt.apply(null));
        publishToEventsTopic(user, EVENT_JSON.writeValueAsString(viewAt.apply(Instant.now())), "{not json",
                noTime, EVENT_JSON.writeValueAsString(viewAt.apply(Instant.now())));

        awaitProfile("user_id", user, 2);
        List<String> deadLetters = await().atMost(Duration.ofSeconds(30)).until(
                () -> TopicReader.readAll(bootstrap(), Topic.EVENTS.topicName() + ".dlq").stream()
                        .filter(r -> user.equals(r.key()))
                        .map(r -> r.value() + " | " + new String(r.headers().lastHeader("dead-letter-reason").value()))
                        .toList(),
                letters -> letters.size() == 2);
        assertThat(deadLetters).anySatisfy(letter -> assertThat(letter).startsWith("{not json"))
                .anySatisfy(letter -> assertThat(letter).startsWith(noTime));
    }

    @Test
    void healthAndOpenApiArePublic() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    private ValidatableResponse send(String path, Object body) {
        return given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON).body(body)
                .post(path).then();
    }

    private String awaitProfile(String type, String value, int eventCount) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> given().auth().oauth2(adminToken).queryParam("type", type).queryParam("value", value)
                        .get("/v1/profiles/lookup").then().extract(),
                r -> r.statusCode() == 200 && r.<Integer>path("aggregates.eventCount") == eventCount).path("id");
    }

    private static Map<String, Object> track(String anonymousId, String userId, String event, Map<String, Object> properties) {
        Map<String, Object> message = new HashMap<>();
        message.put("type", "track");
        message.put("event", event);
        message.put("messageId", id());
        message.put("properties", properties);
        if (anonymousId != null) {
            message.put("anonymousId", anonymousId);
        }
        if (userId != null) {
            message.put("userId", userId);
        }
        return message;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static String token(String workspace, String... roles) {
        return DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, roles);
    }

    private static List<String> eventTypesOnProfileTopics(String profileId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> TopicReader.readAll(bootstrap(),
                        Topic.PROFILE_EVENTS.topicName(), Topic.PROFILES.topicName()).stream()
                        .filter(r -> profileId.equals(ProfileEventKeys.profileIdOf(r.key())))
                        .map(r -> new String(r.headers().lastHeader("ce_type").value())).toList(),
                types -> types.contains("io.satsuma.profile.erased.v1"));
    }

    private static List<String> messageIdsInEventLog() {
        return TopicReader.readAll(bootstrap(), Topic.EVENTS.topicName()).stream().map(r -> {
            int at = r.value().indexOf("\"messageId\":\"");
            return r.value().substring(at + 13, r.value().indexOf('"', at + 13));
        }).toList();
    }

    private static final ObjectMapper EVENT_JSON =
            new ObjectMapper().registerModule(new JavaTimeModule());

    /** Writes raw values on satsuma.events.v1 as a server-side producer would (same key, so in order). */
    private void publishToEventsTopic(String key, String... values) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap());
        try (var producer = new KafkaProducer<>(props,
                new StringSerializer(),
                new StringSerializer())) {
            for (String value : values) {
                producer.send(CloudEventRecords.record(Topic.EVENTS.topicName(), key,
                        UUID.randomUUID().toString(), CloudEvents.TYPE_EVENT_INGESTED, "/backend",
                        Instant.now(), workspace, value)).get();
            }
        }
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
