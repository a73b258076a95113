package io.satsuma.insights.adapter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.restassured.http.ContentType;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.testing.KafkaFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "insights"))
class DailyInsightsTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void countsEachChangeOnceAndDerivesEndOfDaySize() throws Exception {
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        String segmentId = UUID.randomUUID().toString();
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        Instant today = Instant.now();
        String duplicated = UUID.randomUUID().toString();
        publish(workspace, duplicated, new MembershipChanged(segmentId, "S", "p1", "ENTERED", yesterday, false, 1));
        publish(workspace, duplicated, new MembershipChanged(segmentId, "S", "p1", "ENTERED", yesterday, false, 1));
        publish(workspace, UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p2", "ENTERED", yesterday, false, 1));
        publish(workspace, UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p1", "EXITED", today, false, 2));
        publish(workspace, UUID.randomUUID().toString(), new MembershipChanged(segmentId, "S", "p3", "ENTERED", today, false, 1));

        // All on one key (one partition, in order): once this last change of another segment is counted,
        // every change above has been consumed — a double-counted duplicate could not hide behind lag.
        String sentinelSegment = UUID.randomUUID().toString();
        publish(workspace, UUID.randomUUID().toString(), new MembershipChanged(sentinelSegment, "S", "p1", "ENTERED", today, false, 1));
        LocalDate d1 = LocalDate.ofInstant(yesterday, ZoneOffset.UTC);
        LocalDate d2 = LocalDate.ofInstant(today, ZoneOffset.UTC);
        String analyst = token(workspace, "analyst");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(analyst).queryParam("from", d2.toString()).queryParam("to", d2.toString())
                        .get("/v1/segments/" + sentinelSegment + "/daily").then().body("days[0].entries", equalTo(1)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(analyst).queryParam("from", d1.minusDays(1).toString()).queryParam("to", d2.toString())
                        .get("/v1/segments/" + segmentId + "/daily").then().statusCode(200)
                        .body("days.size()", equalTo(3))
                        .body("days[0].size", equalTo(0))
                        .body("days[1].entries", equalTo(2)).body("days[1].exits", equalTo(0)).body("days[1].size", equalTo(2))
                        .body("days[2].entries", equalTo(1)).body("days[2].exits", equalTo(1)).body("days[2].size", equalTo(2)));

        given().auth().oauth2(token("elsewhere", "analyst")).queryParam("from", d1.toString()).queryParam("to", d2.toString())
                .get("/v1/segments/" + segmentId + "/daily").then().statusCode(200).body("days[1].size", equalTo(0));
        given().auth().oauth2(token(workspace, "membership-reader")).queryParam("from", d1.toString())
                .queryParam("to", d2.toString()).get("/v1/segments/" + segmentId + "/daily").then().statusCode(403);
        given().auth().oauth2(analyst).queryParam("from", "yesterday").queryParam("to", d2.toString())
                .get("/v1/segments/" + segmentId + "/daily").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].pointer", equalTo("from"));
    }

    @Test
    void aDeadLetteredChangeIsReplayedAndCountedOnceWhenReplayedTwice() throws Exception {
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        String segmentId = UUID.randomUUID().toString();
        String changeId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        KafkaFixtures.deadLetter(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                Topic.MEMBERSHIPS.topicName(), "insights-service", "memberships-in", "p1", changeId,
                CloudEvents.TYPE_MEMBERSHIP_CHANGED, workspace,
                JSON.writeValueAsString(new MembershipChanged(segmentId, "S", "p1", "ENTERED", now, false, 1)),
                "transient failures for longer than PT10M: PSQLException (SQLSTATE 57P01)");
        String admin = token(workspace, "admin");
        given().auth().oauth2(admin).get("/v1/dead-letters").then().statusCode(200)
                .body("ceId", contains(changeId)).body("reason[0]", containsString("57P01"));

        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (int replay = 1; replay <= 2; replay++) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("ids", List.of(
                            Topic.MEMBERSHIPS.topicName() + ".dlq/0/does-not-exist"))).post("/v1/dead-letters/replay")
                    .then().statusCode(200).body("", empty());
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of()).post("/v1/dead-letters/replay")
                    .then().statusCode(200).body("outcome", contains("REPLAYED"));
            given().auth().oauth2(admin).queryParam("from", day.toString()).queryParam("to", day.toString())
                    .get("/v1/segments/" + segmentId + "/daily").then().statusCode(200)
                    .body("days[0].entries", equalTo(1)).body("days[0].size", equalTo(1));
        }
    }

    private static void publish(String workspace, String changeId, MembershipChanged change) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(CloudEventRecords.record(Topic.MEMBERSHIPS.topicName(), workspace, changeId,
                    CloudEvents.TYPE_MEMBERSHIP_CHANGED, "/test", Instant.now(), workspace,
                    JSON.writeValueAsString(change))).get();
        }
    }

    private static String token(String workspace, String... roles) {
        return DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, roles);
    }
}
