package io.satsuma.segment.adapter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.Redis;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.support.testing.KafkaFixtures;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Redis is a cache also when it fails (ADR 017), with the real server frozen (SIGSTOP: it keeps its data, it just does
 * not answer): the membership API answers from PostgreSQL, readiness stays up and says so, and once Redis is back
 * the epoch has moved on, so an entry from before the outage — now stale — is never served.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "segment"), @ResourceArg(name = "redis", value = "true")})
class RedisOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @Inject
    RedisDataSource redis;

    @Test
    void withRedisFrozenAnswersComeFromPostgresAndItsStaleEntryIsNeverServedAfterwards() throws Exception {
        String workspace = "redis-" + UUID.randomUUID().toString().substring(0, 8);
        String editor = token(workspace, "segment-editor");
        String reader = token(workspace, "membership-reader");
        String gold = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("name", "Gold", "condition", Map.of("trait", "plan", "op", "eq", "value", "gold")))
                .post("/v1/segments").then().statusCode(201).extract().path("id");
        String profileId = UUID.randomUUID().toString();
        String email = profileId + "@example.com";
        publishSnapshot(workspace, profileId, 1, "gold", email);
        awaitSegments(reader, profileId, gold, true);
        given().auth().oauth2(reader).queryParam("type", "email").queryParam("value", email)
                .get("/v1/profiles/lookup/segments").then().statusCode(200).body("profileId", equalTo(profileId));
        Map<String, String> before = cachedEntries(workspace, profileId);
        assertThat(before.values()).as("the profile's entry is in Redis").anyMatch(v -> v.contains(gold));
        long epochBefore = epoch();
        assertThat(redis.key(String.class).keys("*")).as("no raw identifier in a key name").noneMatch(k -> k.contains(email));

        Redis server = SatsumaTestInfrastructure.infrastructure().redis();
        server.pause();
        try {
            publishSnapshot(workspace, profileId, 2, "silver", email);
            awaitSegments(reader, profileId, gold, false);
            for (int i = 0; i < 20; i++) {
                given().auth().oauth2(reader).get("/v1/profiles/" + profileId + "/segments").then().statusCode(200)
                        .body("segments.id", not(hasItem(gold)));
            }
            JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
            assertThat(ready.getString("status")).isEqualTo("UP");
            assertThat(ready.getString("checks.find { it.name == 'membership-cache' }.data.redis"))
                    .isEqualTo("not in use: answering from PostgreSQL");
        } finally {
            server.resume();
        }

        // Redis is back. A write it took after the client had given up on it may or may not have landed; the entry
        // from before the outage, as Redis could well still hold it, is put back here: it must never be served.
        await().atMost(Duration.ofSeconds(30)).until(() -> "in use".equals(cacheHealth().getString("redis")));
        assertThat(epoch()).as("the epoch moved on after the unconfirmed write").isGreaterThan(epochBefore);
        before.forEach((key, value) -> redis.value(String.class).set(key, value));
        for (int i = 0; i < 20; i++) {
            given().auth().oauth2(reader).get("/v1/profiles/" + profileId + "/segments").then().statusCode(200)
                    .body("segments.id", not(hasItem(gold)));
        }
        assertThat(cachedEntries(workspace, profileId)).as("refilled under the new epoch")
                .containsKey("satsuma:" + epoch() + ":" + workspace + ":p:" + profileId);
    }

    private static JsonPath cacheHealth() {
        return given().get("/q/health/ready").then().extract().jsonPath()
                .setRootPath("checks.find { it.name == 'membership-cache' }.data");
    }

    private static long epoch() {
        return cacheHealth().getLong("epoch");
    }

    private Map<String, String> cachedEntries(String workspace, String profileId) {
        Map<String, String> entries = new TreeMap<>();
        redis.key(String.class).keys("satsuma:*:" + workspace + ":p:" + profileId)
                .forEach(k -> entries.put(k, redis.value(String.class).get(k)));
        return entries;
    }

    private static void awaitSegments(String reader, String profileId, String segmentId, boolean member) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(reader)
                .get("/v1/profiles/" + profileId + "/segments").then().statusCode(200)
                .body("segments.id", member ? hasItem(segmentId) : not(hasItem(segmentId))));
    }

    private static void publishSnapshot(String workspace, String profileId, long version, String plan, String email)
            throws Exception {
        ProfileSnapshot snapshot = new ProfileSnapshot(profileId, version, "ACTIVE", null,
                List.of(new Identifier("email", email)), Map.of("plan", plan),
                SegmentServiceTest.aggregates(0, BigDecimal.ZERO, null), Instant.now());
        KafkaFixtures.publish(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                Topic.PROFILES.topicName(), profileId, UUID.randomUUID().toString(), CloudEvents.TYPE_PROFILE_CHANGED,
                workspace, JSON.writeValueAsString(snapshot));
    }

    private static String token(String workspace, String... roles) {
        return DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, roles);
    }
}
