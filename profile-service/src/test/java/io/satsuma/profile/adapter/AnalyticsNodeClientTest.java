package io.satsuma.profile.adapter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The official Node.js client, {@code @segment/analytics-node} (installed from npm into {@code target/}),
 * pointed at this service: identify, track, page, screen, group and alias as the library builds them,
 * batched and authenticated its own way, end up on one profile.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "profile"))
class AnalyticsNodeClientTest {
    private static final String CLIENT_VERSION = "3.1.0";
    private static final Path CLIENT_DIR = Path.of("target", "analytics-node");

    @TestHTTPResource("/")
    URL url;

    @Test
    void eventsSentByTheOfficialNodeClientBuildOneProfile() throws Exception {
        String workspace = "node-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, "admin");
        String writeKey = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "node"))
                .post("/v1/sources").then().statusCode(201).extract().path("writeKey");
        String user = "node-user-" + UUID.randomUUID();
        String anon = "node-anon-" + UUID.randomUUID();
        String email = user + "@example.com";

        installClient();
        Files.writeString(CLIENT_DIR.resolve("send.js"), """
                const { Analytics } = require('@segment/analytics-node');
                const [host, writeKey, user, anon, email] = process.argv.slice(2);
                const analytics = new Analytics({ writeKey, host, maxEventsInBatch: 3, flushInterval: 200 });
                analytics.on('error', (err) => { console.error('delivery failed', err); process.exitCode = 1; });
                analytics.page({ anonymousId: anon, name: 'Home', properties: { path: '/' } });
                analytics.track({ anonymousId: anon, event: 'Product Viewed', properties: { sku: 'A-1', price: 12.5 } });
                analytics.identify({ anonymousId: anon, userId: user, traits: { email, plan: 'gold' } });
                analytics.track({ userId: user, event: 'Order Completed', properties: { order_id: 'o-1', revenue: 42.5 } });
                analytics.screen({ userId: user, name: 'Basket' });
                analytics.group({ userId: user, groupId: 'acme', traits: { name: 'Acme' } });
                analytics.alias({ userId: user, previousId: anon + '-old' });
                analytics.closeAndFlush({ timeout: 20000 }).then(() => console.log('flushed'));
                """, StandardCharsets.UTF_8);
        String output = run(List.of("node", "send.js", url.toString().replaceAll("/$", ""), writeKey, user, anon, email));
        assertThat(output).contains("flushed").doesNotContain("delivery failed");

        ValidatableResponse profile = await().atMost(Duration.ofSeconds(30)).until(
                () -> given().auth().oauth2(admin).queryParam("type", "user_id").queryParam("value", user)
                        .get("/v1/profiles/lookup").then(),
                r -> r.extract().statusCode() == 200 && r.extract().<Integer>path("aggregates.eventCount") == 7);
        profile.body("identifiers.value", hasItem(anon))
                .body("identifiers.value", hasItem(email))
                .body("identifiers.value", hasItem(anon + "-old"))
                .body("traits.plan", equalTo("gold"))
                .body("aggregates.orderCount", equalTo(1))
                .body("aggregates.totalRevenue", equalTo(42.5f));
    }

    /** {@code npm install} of the pinned client into target/ (once per build directory). */
    private static void installClient() throws Exception {
        if (Files.isDirectory(CLIENT_DIR.resolve("node_modules/@segment/analytics-node"))) {
            return;
        }
        Files.createDirectories(CLIENT_DIR);
        Files.writeString(CLIENT_DIR.resolve("package.json"), "{\"name\":\"satsuma-analytics-node-test\",\"private\":true}");
        run(List.of("npm", "install", "--no-audit", "--no-fund", "--silent", "@segment/analytics-node@" + CLIENT_VERSION));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(CLIENT_DIR.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in 180 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
        return output;
    }
}
