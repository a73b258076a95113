package io.satsuma.activation.adapter;

import static io.restassured.RestAssured.given;
import static io.satsuma.activation.adapter.ChannelFixtures.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.activation.adapter.ChannelFixtures.Person;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.sandbox.Received;
import io.satsuma.sandbox.TwilioStub;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Channels misbehaving: an outage of a minute, a rate limit with {@code Retry-After}, a destination that hangs. The
 * destination state and the messages stay exact, and one channel's trouble never slows another.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "activation"))
class SyncFaultsTest {
    private final ChannelFixtures fx = new ChannelFixtures();
    private final String segment = UUID.randomUUID().toString();

    @AfterEach
    void clearFaults() {
        sandbox().meta().faults().clear();
        sandbox().twilio().faults().clear();
        sandbox().webhook().faults().clear();
        assertThat(sandbox().violations()).isEmpty();
    }

    private static String number(int i) {
        return "+4477009" + String.format("%05d", Math.abs(UUID.randomUUID().hashCode() % 90_000) + i);
    }

    @Test
    void aMinuteLongOutageEndsWithEveryMemberInTheAudienceOnceAndNoMessageSentTwice() {
        String audience = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1);
        String metaSync = fx.sync(segment, fx.metaDestination(audience), null);
        String smsSync = fx.sync(segment, fx.twilioDestination(null), Map.of("template", Map.of("body", "Welcome")));
        sandbox().meta().faults().failFor(Duration.ofSeconds(60), 503);
        sandbox().twilio().faults().failFor(Duration.ofSeconds(60), 503);
        Instant outageEnds = Instant.now().plusSeconds(60);
        List<Person> people = IntStream.range(0, 10).mapToObj(i -> Person.of("p-o" + i + "-" + segment)
                .with("email", "o" + i + "@example.com").with("phone", number(i)).consent("ads", true).consent("sms", true))
                .toList();
        people.forEach(p -> fx.profile(p, 1).enter(segment, p.id(), 1));
        fx.send();

        await().atMost(Duration.ofMinutes(4)).untilAsserted(() -> {
            fx.status(metaSync).body("membersInDestination", equalTo(10)).body("pending", equalTo(0));
            fx.status(smsSync).body("sent", equalTo(10)).body("pending", equalTo(0)).body("failed", equalTo(0));
        });
        assertThat(Instant.now()).isAfter(outageEnds);
        assertThat(sandbox().meta().audience(audience)).hasSize(10);
        for (Person p : people) {
            assertThat(sandbox().meta().additions(p.id())).as("additions of %s", p.id()).isEqualTo(1);
            String phone = p.identifiers().get(1).value();
            assertThat(sandbox().twilio().messages().stream().filter(m -> m.to().equals(phone)).count())
                    .as("messages to %s", phone).isEqualTo(1);
        }
    }

    @Test
    void aRateLimitIsWaitedOutForAsLongAsRetryAfterSays() {
        String sync = fx.sync(segment, fx.twilioDestination(null), Map.of("template", Map.of("body", "Hello")));
        sandbox().twilio().faults().rateLimit(1, 3);
        Person p = Person.of("p-rl-" + segment).with("phone", number(1)).consent("sms", true);
        fx.profile(p, 1).enter(segment, p.id(), 1).send();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> fx.status(sync).body("sent", equalTo(1)));
        List<Received> calls = sandbox().twilio().received().stream()
                .filter(r -> r.body().contains(p.identifiers().get(0).value().substring(1))).toList();
        assertThat(calls).extracting(Received::status).containsExactly(429, 201);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    /**
     * Latency of an SMS sync (membership change published → Twilio stub receipt) while another destination, a webhook,
     * hangs on every call until the client times out, against the same measured without the hang.
     */
    @Test
    void aHangingDestinationLeavesAnotherSyncsLatencyUnchanged() {
        String smsSync = fx.sync(segment, fx.twilioDestination(null), Map.of("template", Map.of("body", "Hi")));
        String hooked = UUID.randomUUID().toString();
        fx.sync(hooked, fx.destination("webhook", Map.of("url", sandbox().baseUrl("webhook") + "/slow-" + hooked,
                "concurrency", "2"), Map.of()), null);

        List<Long> calm = latencies(smsSync, 5, 0);
        sandbox().webhook().faults().hang(Duration.ofSeconds(20));
        IntStream.range(0, 30).forEach(i -> fx.enter(hooked, "p-h" + i + "-" + hooked, 1));
        fx.send();
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox().webhook().requests() >= 2); // it is hanging now
        List<Long> underHang = latencies(smsSync, 5, 5);

        System.out.printf("SMS latency, ms: calm %s, while a webhook hangs %s%n", calm, underHang);
        long calmWorst = Collections.max(calm);
        assertThat(Collections.max(underHang)).as("worst latency while another destination hangs (calm worst %d ms)",
                calmWorst).isLessThan(calmWorst + 1_000);
    }

    private List<Long> latencies(String smsSync, int count, int offset) {
        List<Long> latencies = new ArrayList<>();
        for (int i = offset; i < offset + count; i++) {
            Person p = Person.of("p-l" + i + "-" + segment).with("phone", number(i)).consent("sms", true);
            fx.profile(p, 1).send();
            await().atMost(Duration.ofSeconds(10)).until(() -> contactKnown(smsSync, p));
            Instant published = Instant.now();
            fx.enter(segment, p.id(), 1).send();
            String phone = p.identifiers().get(0).value();
            TwilioStub.Message received = await().atMost(Duration.ofSeconds(20)).until(() -> sandbox().twilio().messages()
                    .stream().filter(m -> m.to().equals(phone)).findFirst().orElse(null), m -> m != null);
            latencies.add(Duration.between(published, received.at()).toMillis());
        }
        return latencies;
    }

    /** The person's contact points reached activation (a preview renders), so latency measures the send alone. */
    private boolean contactKnown(String smsSync, Person p) {
        return Boolean.TRUE.equals(given().auth().oauth2(fx.adminToken)
                .get("/v1/syncs/" + smsSync + "/preview?profileId=" + p.id()).then().extract().path("reached"));
    }
}
