package io.satsuma.activation.adapter;

import static io.restassured.RestAssured.given;
import static io.satsuma.activation.adapter.ChannelFixtures.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.satsuma.activation.adapter.ChannelFixtures.Person;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.sandbox.TwilioStub;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Triggered messages against the channel sandbox: SMS through Twilio, push through FCM, signed webhooks, each rendered
 * per person at send time from activation's own projection, consent checked then, one message per membership change.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "activation"))
class MessageSyncTest {
    private static final Duration SOON = Duration.ofSeconds(30);
    private final ChannelFixtures fx = new ChannelFixtures();
    private final String segment = UUID.randomUUID().toString();

    @AfterEach
    void noContractViolations() {
        assertThat(sandbox().violations()).as("requests that break a vendor's contract").isEmpty();
    }

    private static List<TwilioStub.Message> smsTo(String number) {
        return sandbox().twilio().messages().stream().filter(m -> m.to().equals(number)).toList();
    }

    private static String number() {
        return "+4477009" + String.format("%05d", (int) (Math.random() * 100_000));
    }

    @Test
    void anSmsIsRenderedPerPersonSentOncePerEntryAndOnlyWithConsent() {
        String sync = fx.sync(segment, fx.twilioDestination(null),
                Map.of("template", Map.of("body", "Hi {traits.first_name ?: 'there'}, welcome to {segment.name}")));
        Person ada = Person.of("p-ada-" + segment).with("phone", number()).trait("first_name", "Ada").consent("sms", true);
        Person anon = Person.of("p-anon-" + segment).with("phone", number()).consent("sms", true);
        Person silent = Person.of("p-silent-" + segment).with("phone", number());
        String adaEnters = UUID.randomUUID().toString();
        fx.profile(ada, 1).profile(anon, 1).profile(silent, 1)
                .membership(adaEnters, segment, ada.id(), true, 1, false)
                .membership(adaEnters, segment, ada.id(), true, 1, false) // redelivered
                .enter(segment, anon.id(), 1).enter(segment, silent.id(), 1).send();

        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("sent", equalTo(2)).body("skipped", equalTo(1))
                .body("pending", equalTo(0)));
        assertThat(smsTo(ada.identifiers().get(0).value())).singleElement()
                .satisfies(m -> assertThat(m.body()).isEqualTo("Hi Ada, welcome to Segment " + segment));
        assertThat(smsTo(anon.identifiers().get(0).value())).singleElement()
                .satisfies(m -> assertThat(m.body()).startsWith("Hi there,"));
        assertThat(smsTo(silent.identifiers().get(0).value())).isEmpty();
        given().auth().oauth2(fx.adminToken).get("/v1/profiles/" + silent.id() + "/deliveries").then().statusCode(200)
                .body("messages[0].status", equalTo("SKIPPED")).body("messages[0].lastError", equalTo("no sms consent"));

        fx.membership(segment, ada.id(), false, 2, false).send(); // an exit sends nothing on an ON_ENTER sync
        given().auth().oauth2(fx.adminToken).get("/v1/syncs/" + sync + "/preview?profileId=" + ada.id()).then()
                .statusCode(200).body("reached", equalTo(true))
                .body("content.body", equalTo("Hi Ada, welcome to "));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                smsTo(ada.identifiers().get(0).value()).size() == 1);
    }

    @Test
    void aStopReplyRevokesSmsConsentHereAndInProfileServiceAndIsNeverRetried() {
        String destination = fx.twilioDestination(null);
        String sync = fx.sync(segment, destination, Map.of("template", Map.of("body", "Your basket misses you")));
        Person stopper = Person.of("p-stop-" + segment).with("phone", number()).consent("sms", true);
        String phone = stopper.identifiers().get(0).value();
        sandbox().twilio().faults().stop(phone);
        fx.profile(stopper, 1).enter(segment, stopper.id(), 1).send();

        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("failed", equalTo(1))
                .body("lastError", containsString("21610")));
        await().atMost(SOON).until(() -> ChannelFixtures.profileCommands(stopper.id()).stream().anyMatch(c ->
                "REVOKE_CONSENT".equals(c.path("kind").asText()) && "sms".equals(c.path("channel").asText())));

        // Another SMS sync reaching the same person: skipped at once, the number is never called again.
        String other = UUID.randomUUID().toString();
        String otherSync = fx.sync(other, destination, Map.of("template", Map.of("body", "A second offer")));
        fx.enter(other, stopper.id(), 1).send();
        await().atMost(SOON).untilAsserted(() -> fx.status(otherSync).body("skipped", equalTo(1)));
        long calls = sandbox().twilio().received().stream().filter(r -> r.body().contains(phone.substring(1))).count();
        assertThat(calls).as("requests for the number that replied STOP").isEqualTo(1);
    }

    @Test
    void aPushGoesToEveryLiveTokenAndADeadTokenIsDroppedFromTheProfile() {
        String fcm = fx.destination("fcm_push", Map.of("projectId", "satsuma-sandbox", "clientEmail",
                "fcm@sandbox.iam.gserviceaccount.com", "tokenUrl", sandbox().tokenUrl(), "baseUrl", sandbox().baseUrl("fcm")),
                Map.of("privateKey", ChannelFixtures.serviceAccountKey()));
        String sync = fx.sync(segment, fcm, Map.of("template", Map.of("title", "Back in stock",
                "body", "{traits.first_name}, your size is back", "data", Map.of("segment", "{segment.id}"))));
        String live = "live-" + UUID.randomUUID();
        String dead = "dead-" + UUID.randomUUID();
        sandbox().fcm().faults().deadTokens(dead);
        Person mobile = Person.of("p-push-" + segment).trait("first_name", "Lin").consent("push", true)
                .pushToken(live, "android").pushToken(dead, "ios");
        fx.profile(mobile, 1).enter(segment, mobile.id(), 1).send();

        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("sent", equalTo(1)));
        List<JsonNode> pushed = sandbox().fcm().messages().stream().filter(m -> m.path("token").asText().equals(live)).toList();
        assertThat(pushed).singleElement().satisfies(m -> {
            assertThat(m.path("notification").path("title").asText()).isEqualTo("Back in stock");
            assertThat(m.path("notification").path("body").asText()).isEqualTo("Lin, your size is back");
            assertThat(m.path("data").path("segment").asText()).isEqualTo(segment);
        });
        await().atMost(SOON).until(() -> ChannelFixtures.profileCommands(mobile.id()).stream().anyMatch(c ->
                "REMOVE_IDENTIFIER".equals(c.path("kind").asText())
                        && dead.equals(c.path("identifier").path("value").asText())));
    }

    @Test
    void quietHoursHoldAMessageUntilTheyEnd() {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        String sync = fx.sync(segment, fx.twilioDestination(null), Map.of("template", Map.of("body", "Late offer"),
                "quietHours", Map.of("start", now.minusHours(1).withSecond(0).withNano(0).toString(),
                        "end", now.plusHours(1).withSecond(0).withNano(0).toString(), "timeZone", "UTC")));
        Person owl = Person.of("p-owl-" + segment).with("phone", number()).consent("sms", true);
        fx.profile(owl, 1).enter(segment, owl.id(), 1).send();
        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("pending", equalTo(1))
                .body("lastError", startsWith("quiet hours until")));
        assertThat(smsTo(owl.identifiers().get(0).value())).isEmpty();
    }

    @Test
    void aWebhookCarriesOnlyConsentedContactPointsAndTheMappedTraits() {
        String hook = fx.destination("webhook", Map.of("url", sandbox().baseUrl("webhook") + "/crm-" + segment), Map.of());
        fx.sync(segment, hook, Map.of("mapping", Map.of("plan", "plan", "city", "address.city")));
        Person p = Person.of("p-hook-" + segment).with("user_id", "u-42").with("email", "hook@example.com")
                .with("phone", "+447700900999").trait("plan", "gold").trait("address", Map.of("city", "Leeds"))
                .consent("email", true).consent("sms", false);
        fx.profile(p, 1).enter(segment, p.id(), 1).send();

        await().atMost(SOON).until(() -> sandbox().webhook().deliveries().stream()
                .anyMatch(d -> d.path("profile").path("id").asText().equals(p.id())));
        JsonNode payload = sandbox().webhook().deliveries().stream()
                .filter(d -> d.path("profile").path("id").asText().equals(p.id())).findFirst().orElseThrow();
        assertThat(payload.path("type").asText()).isEqualTo("segment.entered");
        JsonNode identifiers = payload.path("profile").path("identifiers");
        assertThat(identifiers.path("userId").asText()).isEqualTo("u-42");
        assertThat(identifiers.path("email").asText()).isEqualTo("hook@example.com");
        assertThat(identifiers.has("phone")).as("no SMS consent, no phone").isFalse();
        assertThat(payload.path("profile").path("traits").path("plan").asText()).isEqualTo("gold");
        assertThat(payload.path("profile").path("traits").path("city").asText()).isEqualTo("Leeds");
    }

    @Test
    void badSettingsAreProblemsNamingEachFieldAndNothingIsSaved() {
        given().auth().oauth2(fx.adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "meta", "type", "meta_custom_audience", "config", Map.of("audienceId", "not-digits",
                        "accessToken", "EAAB0123456789"), "secrets", Map.of()))
                .post("/v1/destinations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/config/audienceId", "/config/accessToken", "/secrets/accessToken"));
        given().auth().oauth2(fx.adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "type", "carrier_pigeon")).post("/v1/destinations").then().statusCode(400)
                .body("errors.pointer", hasItems("/type"));
        given().auth().oauth2(fx.adminToken).get("/v1/destinations").then().statusCode(200).body("size()", equalTo(0));

        String twilio = fx.twilioDestination(null);
        given().auth().oauth2(fx.adminToken).post("/v1/destinations/" + twilio + "/test").then().statusCode(200)
                .body("ok", equalTo(true));
        given().auth().oauth2(fx.adminToken).contentType(ContentType.JSON)
                .body(Map.of("segmentId", segment, "destinationId", twilio, "mode", "MIRROR",
                        "settings", Map.of("template", Map.of("body", "Hi {traits.first_name"), "tag", "x",
                                "quietHours", Map.of("start", "9pm", "end", "08:00"))))
                .post("/v1/syncs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/mode", "/settings/template/body", "/settings/tag",
                        "/settings/quietHours/start"));
        given().auth().oauth2(fx.adminToken).get("/v1/syncs").then().statusCode(200).body("size()", equalTo(0));

        Person p = Person.of("p-preview-" + segment).with("phone", "+447700900111").trait("first_name", "Kim")
                .consent("sms", true);
        fx.profile(p, 1).send();
        await().atMost(SOON).untilAsserted(() -> given().auth().oauth2(fx.adminToken).contentType(ContentType.JSON)
                .body(Map.of("segmentId", segment, "destinationId", twilio, "profileId", p.id(),
                        "settings", Map.of("template", Map.of("body", "Hello {traits.first_name}"))))
                .post("/v1/syncs/preview").then().statusCode(200).body("reached", equalTo(true))
                .body("content.body", equalTo("Hello Kim")).body("content.to", equalTo("+447700900111")));
    }
}
