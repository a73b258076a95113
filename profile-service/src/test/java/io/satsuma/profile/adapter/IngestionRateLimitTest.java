package io.satsuma.profile.adapter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The rate limit per write key, as the test configuration sets it (10 messages a second, 600 at once): a runaway
 * source gets 429 with Retry-After, another source does not.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "profile"))
class IngestionRateLimitTest {

    @Test
    void aRunawayWriteKeyIsToldToWaitWhileAnotherGoesOn() {
        String workspace = "rate-" + UUID.randomUUID().toString().substring(0, 8);
        String runaway = newSource(workspace, "runaway");
        String quiet = newSource(workspace, "quiet");

        send(runaway, 500).then().statusCode(200);
        send(runaway, 100).then().statusCode(200);
        Response refused = send(runaway, 150);
        refused.then().statusCode(429).contentType("application/problem+json").body("status", equalTo(429));
        // 150 messages at 10 a second, less what has come back since the burst was spent.
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(5L, 15L);
        send(runaway, 601).then().statusCode(429).header("Retry-After", "60"); // more than a burst: never fits at once
        send(quiet, 500).then().statusCode(200);
    }

    private static Response send(String writeKey, int messages) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            batch.add(Map.of("type", "track", "event", "Product Viewed", "anonymousId", "anon-" + i,
                    "messageId", UUID.randomUUID().toString()));
        }
        return given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON).body(Map.of("batch", batch))
                .post("/v1/batch");
    }

    private static String newSource(String workspace, String name) {
        String admin = DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, "admin");
        return given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", name)).post("/v1/sources")
                .then().statusCode(201).extract().path("writeKey");
    }
}
