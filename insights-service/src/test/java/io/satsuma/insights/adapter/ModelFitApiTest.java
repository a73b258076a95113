package io.satsuma.insights.adapter;

import static io.restassured.RestAssured.given;
import static io.satsuma.insights.adapter.ProfileEventRecords.producer;
import static io.satsuma.insights.adapter.ProfileEventRecords.profileEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.satsuma.contracts.Topic;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.localinfra.TopicReader;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The models fitted through the service: the CDNOW 1/10 sample's orders published as profile-service publishes
 * them, consumed into facts, fitted by a job over the papers' calibration period — and the published estimates
 * come back from the API, versioned after a refused fit.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "insights"))
class ModelFitApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Sql sql;

    @Test
    void theCdnowSampleSentThroughKafkaGivesThePublishedFitsAndTooLittleDataIsRefused() throws Exception {
        String workspace = "models-" + UUID.randomUUID().toString().substring(0, 8);
        String analyst = token(workspace, "analyst");

        given().auth().oauth2(analyst).get("/v1/profiles/cdnow-0001/predictions").then().statusCode(404)
                .body("detail", containsString("no model has been fitted"));
        String refused = requestFit(analyst, "1997-09-30");
        JsonPath thin = awaitFinished(analyst, refused);
        assertThat(thin.getString("status")).isEqualTo("REFUSED");
        assertThat(thin.getString("reason")).contains("at least 100 customers");
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(Map.of("calibrationEnd", "2999-01-01"))
                .post("/v1/models/fits").then().statusCode(400).body("errors.pointer", hasItem("/calibrationEnd"));

        int orders = 0;
        Path file = Path.of(System.getProperty("satsuma.root", ".."), "../shared/data/CDNOW_sample.txt.gz");
        try (KafkaProducer<String, String> producer = producer();
             BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                     StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.trim().split("\\s+");
                String customer = "cdnow-" + f[1];
                producer.send(profileEvent(workspace, "cdnow-" + orders, customer, "Order Completed",
                        Map.of("orderId", "cdnow-" + orders, "revenue", new BigDecimal(f[4])),
                        LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE).atTime(12, 0).toInstant(ZoneOffset.UTC)));
                orders++;
            }
        }
        int sent = orders;
        await().atMost(Duration.ofSeconds(60)).until(() -> sql.queryOne(
                "SELECT count(*) FROM profile_fact WHERE workspace = ?", rs -> rs.getInt(1), workspace).orElse(0) == sent);

        String fitId = requestFit(analyst, "1997-09-30");
        JsonPath fit = awaitFinished(analyst, fitId);
        assertThat(fit.getString("status")).isEqualTo("DONE");
        assertThat(fit.getLong("customers")).isEqualTo(2357);
        assertThat(fit.getDouble("bgnbd.r")).isCloseTo(0.243, within(0.0005));
        assertThat(fit.getDouble("bgnbd.alpha")).isCloseTo(4.414, within(0.0005));
        assertThat(fit.getDouble("bgnbd.a")).isCloseTo(0.793, within(0.0005));
        assertThat(fit.getDouble("bgnbd.b")).isCloseTo(2.426, within(0.0005));
        assertThat(fit.getDouble("bgnbd.logLikelihood")).isCloseTo(-9582.4, within(0.05));
        assertThat(fit.getDouble("gammaGamma.p")).isCloseTo(6.25, within(0.005));
        assertThat(fit.getDouble("gammaGamma.q")).isCloseTo(3.74, within(0.005));
        assertThat(fit.getDouble("gammaGamma.gamma")).isCloseTo(15.44, within(0.005));
        assertThat(fit.getInt("gammaGamma.customers")).isEqualTo(946);

        // A customer's predictions as of the calibration end: the published model applied to its own orders, which this
        // test reads straight from the file (customer 0001 of the sample: purchases on 1997-01-01, -01-18 and -08-02).
        // (Read with Jackson: RestAssured's JsonPath reads decimals as floats.)
        JsonNode parameters = JSON.readTree(given().auth().oauth2(analyst).get("/v1/models/fits/" + fitId).asString()).path("bgnbd");
        JsonNode predicted = JSON.readTree(given().auth().oauth2(analyst).queryParam("asOf", "1997-09-30")
                .get("/v1/profiles/cdnow-0001/predictions").then().statusCode(200).extract().asString());
        Customer customer = new Customer(2, 213 / 7.0, 272 / 7.0, (29.73 + 14.96) / 2);
        BgNbd model = new BgNbd(parameters.path("r").asDouble(), parameters.path("alpha").asDouble(),
                parameters.path("a").asDouble(), parameters.path("b").asDouble());
        assertThat(predicted.path("repeatPurchases").asInt()).isEqualTo(2);
        assertThat(predicted.path("weeksObserved").asDouble()).isCloseTo(272 / 7.0, within(1e-9));
        assertThat(predicted.path("pAlive").asDouble()).isCloseTo(model.pAlive(customer), within(1e-9));
        assertThat(predicted.path("churnRisk").asDouble()).isCloseTo(1 - model.pAlive(customer), within(1e-9));
        assertThat(predicted.path("expectedOrders90Days").asDouble())
                .isCloseTo(model.expectedPurchases(customer, 90 / 7.0), within(1e-9));
        assertThat(predicted.path("orderProbability30Days").asDouble())
                .isCloseTo(model.probabilityOfPurchase(customer, 30 / 7.0), within(1e-9));
        // Time passing without orders lowers P(alive): the same customer a year later.
        assertThat(JSON.readTree(given().auth().oauth2(analyst).queryParam("asOf", "1998-09-30")
                .get("/v1/profiles/cdnow-0001/predictions").then().statusCode(200).extract().asString()).path("pAlive").asDouble())
                .isLessThan(predicted.path("pAlive").asDouble());
        given().auth().oauth2(analyst).get("/v1/profiles/nobody/predictions").then().statusCode(404)
                .body("detail", containsString("has no order"));
        given().auth().oauth2(analyst).queryParam("asOf", "yesterday").get("/v1/profiles/cdnow-0001/predictions").then()
                .statusCode(400);

        // The fit is announced to segment-service (satsuma.models.v1, keyed by workspace) with the parameters the API shows.
        JsonNode announced = await().atMost(Duration.ofSeconds(30)).until(() -> TopicReader.readAll(
                        ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), Topic.MODELS.topicName())
                .stream().filter(r -> workspace.equals(r.key())).map(r -> readTree(r.value())).findFirst(), Optional::isPresent).get();
        assertThat(announced.path("version").asLong()).isEqualTo(2);
        assertThat(announced.path("unitDays").asInt()).isEqualTo(7);
        assertThat(announced.path("bgnbd").path("r").asDouble()).isEqualTo(parameters.path("r").asDouble());
        assertThat(announced.path("bgnbd").path("b").asDouble()).isEqualTo(parameters.path("b").asDouble());
        assertThat(announced.path("gammaGamma").path("gamma").asDouble()).isCloseTo(15.44, within(0.005));

        given().auth().oauth2(analyst).get("/v1/models").then().statusCode(200)
                .body("current.id", equalTo(fitId)).body("current.version", equalTo(2))
                .body("fits.status", contains("DONE", "REFUSED"));
        given().auth().oauth2(token("another-" + workspace, "analyst")).get("/v1/models").then().statusCode(200)
                .body("current", nullValue()).body("fits.size()", equalTo(0));
        given().auth().oauth2(token("another-" + workspace, "analyst")).get("/v1/models/fits/" + fitId).then()
                .statusCode(404).body("detail", containsString("no model fit"));
        given().auth().oauth2(token(workspace, "membership-reader")).get("/v1/models").then().statusCode(403);
    }

    private static String requestFit(String bearer, String calibrationEnd) {
        return given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("calibrationEnd", calibrationEnd))
                .post("/v1/models/fits").then().statusCode(202).body("status", equalTo("PENDING"))
                .extract().path("id");
    }

    private static JsonPath awaitFinished(String bearer, String fitId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(bearer)
                .get("/v1/models/fits/" + fitId).then().statusCode(200).extract().jsonPath(),
                json -> !json.getString("status").equals("PENDING") && !json.getString("status").equals("FITTING"));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(String workspace, String... roles) {
        return DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class), workspace, roles);
    }
}
