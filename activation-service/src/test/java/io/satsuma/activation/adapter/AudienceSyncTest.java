package io.satsuma.activation.adapter;

import static io.restassured.RestAssured.given;
import static io.satsuma.activation.adapter.ChannelFixtures.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.satsuma.activation.adapter.ChannelFixtures.Person;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.sandbox.Received;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Audience mirrors against the channel sandbox: the destination ends up holding exactly the segment's consenting,
 * reachable members, hashed where the vendor wants hashes, through real Kafka, PostgreSQL and HTTP.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "activation"))
class AudienceSyncTest {
    private static final Duration SOON = Duration.ofSeconds(30);
    private final ChannelFixtures fx = new ChannelFixtures();
    private final String segment = UUID.randomUUID().toString();

    @Inject
    DataSource dataSource;

    @AfterEach
    void noContractViolations() {
        assertThat(sandbox().violations()).as("requests that break a vendor's contract").isEmpty();
    }

    private static String audienceId() {
        return Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000_000L + 1);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void metaHoldsExactlyTheConsentingReachableMembersHashedAndLosesThemOnExit() throws Exception {
        String audience = audienceId();
        String sync = fx.sync(segment, fx.metaDestination(audience), null);
        Person ada = Person.of("p-ada-" + segment).with("email", " Ada.Lovelace@Example.com").with("phone", "+447700900123")
                .trait("firstName", "Ada").consent("ads", true);
        Person noConsent = Person.of("p-nc-" + segment).with("email", "nc@example.com");
        Person heldOut = Person.of("p-ho-" + segment).with("email", "ho@example.com").consent("ads", true);
        fx.profile(ada, 1).profile(noConsent, 1).profile(heldOut, 1)
                .enter(segment, ada.id(), 1).enter(segment, noConsent.id(), 1).membership(segment, heldOut.id(), true, 1, true)
                .send();

        await().atMost(SOON).until(() -> sandbox().meta().audience(audience).containsKey(ada.id()));
        List<String> row = sandbox().meta().audience(audience).get(ada.id());
        assertThat(row.subList(0, 4)).containsExactly(ada.id(), sha256("ada.lovelace@example.com"), sha256("447700900123"), "");
        assertThat(row.get(4)).isEqualTo(sha256("ada"));
        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("membersInDestination", equalTo(1))
                .body("pending", equalTo(0)));
        assertThat(sandbox().meta().audience(audience)).containsOnlyKeys(ada.id());

        fx.membership(segment, ada.id(), false, 2, false).send();
        await().atMost(SOON).until(() -> sandbox().meta().audience(audience).isEmpty());
        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("membersInDestination", equalTo(0)));
        given().auth().oauth2(fx.adminToken).get("/v1/profiles/" + ada.id() + "/deliveries").then().statusCode(200)
                .body("audiences.find { it.syncId == '" + sync + "' }.inAudience", equalTo(false));
    }

    @Test
    void aNewSyncUploadsTheSegmentsMembersAsOneSessionWithProgress() {
        List<Person> people = IntStream.range(0, 25).mapToObj(i -> Person.of("p-" + i + "-" + segment)
                .with("email", "person" + i + "@example.com").consent("ads", true)).toList();
        people.forEach(p -> fx.profile(p, 1).enter(segment, p.id(), 1));
        fx.send();
        await().atMost(SOON).until(() -> count("SELECT count(*) FROM segment_member m JOIN contact c USING (workspace, "
                + "profile_id) WHERE m.workspace = ? AND m.member", fx.workspace) == 25);

        String audience = audienceId();
        String sync = fx.sync(segment, fx.metaDestination(audience), null);
        await().atMost(SOON).until(() -> sandbox().meta().audienceSize(audience) == 25);
        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("upload.total", equalTo(25))
                .body("upload.done", equalTo(25)).body("upload.finishedAt", notNullValue())
                .body("membersInDestination", equalTo(25)));
        List<JsonNode> sessions = sandbox().meta().received().stream().filter(r -> r.path().contains(audience))
                .map(r -> read(r).path("session")).toList();
        assertThat(sessions).isNotEmpty().allSatisfy(s -> assertThat(s.path("estimated_num_total").asInt()).isEqualTo(25));
        assertThat(sessions.get(sessions.size() - 1).path("last_batch_flag").asBoolean()).isTrue();
    }

    @Test
    void aResyncSendsOnlyWhatTheLedgerAndTheSegmentDisagreeOn() throws Exception {
        List<Person> people = IntStream.range(0, 5).mapToObj(i -> Person.of("p-r" + i + "-" + segment)
                .with("email", "r" + i + "@example.com").consent("ads", true)).toList();
        String audience = audienceId();
        String sync = fx.sync(segment, fx.metaDestination(audience), null);
        people.forEach(p -> fx.profile(p, 1).enter(segment, p.id(), 1));
        fx.send();
        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("membersInDestination", equalTo(5))
                .body("pending", equalTo(0)));

        // The ledger drifts: it forgets someone the segment has, and claims someone the segment never had.
        update("DELETE FROM audience_ledger WHERE sync_id = ? AND profile_id = ?", sync, people.get(0).id());
        update("INSERT INTO audience_ledger (sync_id, profile_id, removal, digest, updated_at) VALUES (?, 'p-ghost', "
                + "?, 'x', now())", sync, "{\"row\": [\"p-ghost\", \"" + sha256("ghost@example.com")
                + "\", \"\", \"\"]}");
        long rowsBefore = sandbox().meta().rowsReceived();

        given().auth().oauth2(fx.adminToken).post("/v1/syncs/" + sync + "/resync").then().statusCode(200)
                .body("checking", equalTo(6));
        await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("upload.done", equalTo(6))
                .body("upload.finishedAt", notNullValue()).body("membersInDestination", equalTo(5)));
        assertThat(sandbox().meta().rowsReceived() - rowsBefore).as("one add and one removal, nothing else").isEqualTo(2);
        assertThat(sandbox().meta().audience(audience)).containsOnlyKeys(people.stream().map(Person::id).toArray(String[]::new));
    }

    @Test
    void aRevokedEmailConsentLeavesTheEmailListsAndAnErasureLeavesEveryAudience() throws Exception {
        Person grace = Person.of("p-grace-" + segment).with("email", "grace.hopper@example.com").trait("firstName", "Grace")
                .consent("email", true).consent("ads", true);
        String listId = "L" + UUID.randomUUID().toString().substring(0, 6);
        String klaviyo = fx.destination("klaviyo_list", Map.of("listId", listId, "baseUrl", sandbox().baseUrl("klaviyo")),
                Map.of("apiKey", "pk_sandbox_0123456789"));
        String mailchimp = fx.destination("mailchimp_audience", Map.of("listId", listId, "baseUrl",
                sandbox().baseUrl("mailchimp")), Map.of("apiKey", "0123456789abcdef-us21"));
        String audience = audienceId();
        fx.sync(segment, klaviyo, Map.of("subscribe", true));
        fx.sync(segment, mailchimp, Map.of("tag", "vip"));
        fx.sync(segment, fx.metaDestination(audience), null);
        fx.profile(grace, 1).enter(segment, grace.id(), 1).send();

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(sandbox().klaviyo().listEmails(listId)).containsExactly("grace.hopper@example.com");
            assertThat(sandbox().klaviyo().emailConsent("grace.hopper@example.com")).isEqualTo("SUBSCRIBED");
            assertThat(sandbox().mailchimp().tagged(listId, "vip")).containsExactly("grace.hopper@example.com");
            assertThat(sandbox().meta().audience(audience)).containsKey(grace.id());
        });

        fx.profile(grace.consent("email", false), 2).send();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(sandbox().klaviyo().listEmails(listId)).isEmpty();
            assertThat(sandbox().klaviyo().emailConsent("grace.hopper@example.com")).isEqualTo("UNSUBSCRIBED");
            assertThat(sandbox().mailchimp().tagged(listId, "vip")).isEmpty();
        });
        assertThat(sandbox().meta().audience(audience)).as("ads consent still stands").containsKey(grace.id());

        fx.erase(grace.id()).send();
        await().atMost(Duration.ofMinutes(1)).until(() -> sandbox().meta().audience(audience).isEmpty());
        assertThat(count("SELECT count(*) FROM contact WHERE workspace = ? AND status = 'ERASED' AND identifiers = '[]'",
                fx.workspace)).isEqualTo(1);
    }

    @Test
    void googleCustomerMatchGetsGoogleNormalisedHexHashesOnAServiceAccountToken() throws Exception {
        String userList = audienceId();
        String google = fx.destination("google_customer_match", Map.of("operatingAccountId", "1234567890",
                "userListId", userList, "clientEmail", "satsuma@sandbox.iam.gserviceaccount.com",
                "tokenUrl", sandbox().tokenUrl(), "baseUrl", sandbox().baseUrl("google")),
                Map.of("privateKey", ChannelFixtures.serviceAccountKey()));
        given().auth().oauth2(fx.adminToken).post("/v1/destinations/" + google + "/test").then().statusCode(200)
                .body("ok", equalTo(true));
        fx.sync(segment, google, null);
        Person john = Person.of("p-john-" + segment).with("email", " John.Doe+shop@GoogleMail.com").with("phone", "+14155550123")
                .consent("ads", true);
        fx.profile(john, 1).enter(segment, john.id(), 1).send();

        await().atMost(SOON).until(() -> sandbox().google().userList(userList).size() == 1);
        JsonNode identifiers = sandbox().google().userList(userList).values().iterator().next();
        assertThat(identifiers.path(0).path("emailAddress").asText()).isEqualTo(sha256("johndoe@googlemail.com"));
        assertThat(identifiers.path(1).path("phoneNumber").asText()).isEqualTo(sha256("+14155550123"));
    }

    @Test
    void aMemberMailchimpRefusesFailsAloneAndTheOthersAreNotSentAgain() {
        String listId = "m" + UUID.randomUUID().toString().substring(0, 6);
        sandbox().mailchimp().faults().refuseEmails("refused-" + listId + "@example.com");
        String sync = fx.sync(segment, fx.destination("mailchimp_audience", Map.of("listId", listId, "baseUrl",
                sandbox().baseUrl("mailchimp")), Map.of("apiKey", "0123456789abcdef-us21")), Map.of("tag", "t"));
        List<Person> people = List.of(
                Person.of("p-m1-" + segment).with("email", "one-" + listId + "@example.com").consent("email", true),
                Person.of("p-m2-" + segment).with("email", "two-" + listId + "@example.com").consent("email", true),
                Person.of("p-m3-" + segment).with("email", "refused-" + listId + "@example.com").consent("email", true));
        people.forEach(p -> fx.profile(p, 1).enter(segment, p.id(), 1));
        fx.send();

        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> fx.status(sync).body("failed", equalTo(1))
                .body("membersInDestination", equalTo(2)).body("pending", equalTo(0))
                .body("lastError", containsString("ERROR_GENERIC")));
        assertThat(sandbox().mailchimp().tagged(listId, "t")).hasSize(2);
        long sendsOfOne = sandbox().mailchimp().received().stream()
                .filter(r -> r.body().contains("one-" + listId + "@example.com")).count();
        assertThat(sendsOfOne).as("a refused neighbour does not make the others go again").isEqualTo(1);
    }

    @Test
    void refusedCredentialsPauseTheSyncUntilTheSecretsAreReplaced() {
        String audience = audienceId();
        String destination = fx.metaDestination(audience);
        sandbox().meta().faults().refuseCredentials(true);
        try {
            given().auth().oauth2(fx.adminToken).post("/v1/destinations/" + destination + "/test").then().statusCode(200)
                    .body("ok", equalTo(false)).body("outcome", equalTo("UNAUTHORIZED"));
            String sync = fx.sync(segment, destination, null);
            Person p = Person.of("p-pause-" + segment).with("email", "pause@example.com").consent("ads", true);
            fx.profile(p, 1).enter(segment, p.id(), 1).send();
            await().atMost(SOON).untilAsserted(() -> fx.status(sync).body("state", equalTo("PAUSED"))
                    .body("pausedReason", containsString("190")).body("pending", equalTo(1)));

            sandbox().meta().faults().refuseCredentials(false);
            given().auth().oauth2(fx.adminToken).contentType(ContentType.JSON)
                    .body(Map.of("secrets", Map.of("accessToken", "EAAB-rotated-token"))).put("/v1/destinations/" + destination
                            + "/secrets").then().statusCode(200).body("resumedSyncs", equalTo(1));
            await().atMost(SOON).until(() -> sandbox().meta().audience(audience).containsKey(p.id()));
            fx.status(sync).body("state", equalTo("ACTIVE"));
        } finally {
            sandbox().meta().faults().refuseCredentials(false);
        }
    }

    private JsonNode read(Received r) {
        try {
            return ChannelFixtures.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, String param) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void update(String sql, String... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
