package io.satsuma.profile.adapter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.support.testing.KafkaFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * An operator lists what profile-service dead-lettered (without payloads) and replays it once the cause is
 * gone; replaying twice counts once.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "profile"))
class DeadLetterReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void deadLettersAreListedWithoutPayloadsAndReplayedOnceEvenWhenReplayedTwice() throws Exception {
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        String user = "dl-" + UUID.randomUUID();
        String email = user + "@example.com";
        String messageId = UUID.randomUUID().toString();
        IngestedEvent order = new IngestedEvent(messageId, "track", "Order Completed", user, null, null,
                Map.of("email", email), Map.of("revenue", 12), Map.of(), Instant.now(), Instant.now(), "backend");
        // Dead-lettered after a database outage outlasted the retries; and a record that can never be read.
        KafkaFixtures.deadLetter(bootstrap(), Topic.EVENTS.topicName(), "profile-service", "events-in", user, messageId,
                CloudEvents.TYPE_EVENT_INGESTED, workspace, JSON.writeValueAsString(order),
                "transient failures for longer than PT10M: PSQLException (SQLSTATE 08001)");
        KafkaFixtures.deadLetter(bootstrap(), Topic.EVENTS.topicName(), "profile-service", "events-in", user, "poison",
                CloudEvents.TYPE_EVENT_INGESTED, workspace, "{\"email\": \"" + email + "\"",
                "unreadable record: JsonEOFException (line 1, column 32)");

        String listing = given().auth().oauth2(admin).get("/v1/dead-letters").then().statusCode(200)
                .body("topic", contains(Topic.EVENTS.topicName(), Topic.EVENTS.topicName()))
                .body("channel", contains("events-in", "events-in"))
                .body("ceId", contains(messageId, "poison"))
                .body("reason[0]", startsWith("transient failures"))
                .body("replayedAt", contains(nullValue(), nullValue()))
                .extract().asString();
        Assertions.assertThat(listing).doesNotContain(email).doesNotContain("revenue");
        given().auth().oauth2(token("elsewhere", "admin")).get("/v1/dead-letters").then().statusCode(200).body("", empty());
        given().auth().oauth2(token(workspace, "analyst")).get("/v1/dead-letters").then().statusCode(403);

        for (int replay = 1; replay <= 2; replay++) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of()).post("/v1/dead-letters/replay")
                    .then().statusCode(200).body("outcome", contains("REPLAYED", "FAILED"))
                    .body("reason[1]", startsWith("unreadable record: JsonEOFException"));
            given().auth().oauth2(admin).queryParam("type", "email").queryParam("value", email).get("/v1/profiles/lookup")
                    .then().statusCode(200).body("aggregates.orderCount", equalTo(1)).body("aggregates.eventCount", equalTo(1));
        }
        given().auth().oauth2(admin).get("/v1/dead-letters").then().statusCode(200)
                .body("replayOutcome", contains("REPLAYED", "FAILED")).body("replayedAt", not(hasSize(0)));
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    private static String token(String workspace, String... roles) {
        return DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, roles);
    }
}
