package io.satsuma.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox is only worth its checks: valid requests (as the vendors document them) pass and change state, and each
 * kind of broken request is caught, against the vendors' own OpenAPI documents where they publish one.
 */
class ChannelSandboxTest {
    private static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    private static final String HASH = "a".repeat(64);
    private static ChannelSandbox sandbox;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("satsuma.root", ".."));
        sandbox = ChannelSandbox.start(0, ChannelSandbox.specsBeside(root));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void twilioRequestsAreCheckedAgainstTwiliosPublishedDocument() throws Exception {
        assertThat(sandbox.twilio().contractChecked()).as("the Twilio spec in ../shared/specs/vendors").isTrue();
        String path = "/twilio/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json";
        HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(sandbox.url() + path))
                .header("Authorization", basic(ACCOUNT, "token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B447700900123&From=%2B15005550006&Body=Hello")).build());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(sandbox.twilio().messages()).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo("+447700900123");
            assertThat(m.body()).isEqualTo("Hello");
        });
        assertThat(sandbox.violations()).isEmpty();

        HttpResponse<String> json = send(HttpRequest.newBuilder(URI.create(sandbox.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"To\": \"+447700900123\"}")).build());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(sandbox.violations()).anyMatch(v -> v.contains("credentials missing"))
                .anyMatch(v -> v.contains("content type 'application/json' not accepted"));

        sandbox.reset();
        sandbox.twilio().faults().stop("+447700900123");
        HttpResponse<String> stopped = send(HttpRequest.newBuilder(URI.create(sandbox.url() + path))
                .header("Authorization", basic(ACCOUNT, "token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B447700900123&From=%2B15005550006&Body=Hello")).build());
        assertThat(stopped.statusCode()).isEqualTo(400);
        assertThat(stopped.body()).contains("21610");
    }

    @Test
    void klaviyoRequestsAreCheckedAgainstKlaviyosPublishedDocument() throws Exception {
        assertThat(sandbox.klaviyo().contractChecked()).isTrue();
        String body = """
                {"data": {"type": "profile-bulk-import-job", "attributes": {"profiles": {"data": [
                  {"type": "profile", "attributes": {"email": "ada@example.com", "external_id": "p-1"}}]}},
                 "relationships": {"lists": {"data": [{"type": "list", "id": "L1"}]}}}}""";
        HttpResponse<String> ok = send(klaviyo("/api/profile-bulk-import-jobs", true).POST(
                HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        assertThat(sandbox.klaviyo().listEmails("L1")).containsExactly("ada@example.com");
        assertThat(sandbox.violations()).isEmpty();

        HttpResponse<String> noRevision = send(klaviyo("/api/profile-bulk-import-jobs", false).POST(
                HttpRequest.BodyPublishers.ofString(body.replace("profile-bulk-import-job", "bulk-job"))).build());
        assertThat(noRevision.statusCode()).isEqualTo(400);
        assertThat(sandbox.violations()).anyMatch(v -> v.contains("'revision' missing"))
                .anyMatch(v -> v.contains("bulk_import_profiles") && v.contains("/data/type"));
    }

    @Test
    void metaRefusesAnythingButHashesInHashedColumns() throws Exception {
        String raw = "{\"payload\": {\"schema\": [\"EXTERN_ID\", \"EMAIL\"], \"data\": [[\"p-1\", \"ada@example.com\"]]}}";
        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("meta") + "/123/users"))
                .header("Authorization", "Bearer sandbox-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(raw)).build());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(sandbox.violations()).anyMatch(v -> v.contains("EMAIL is not a SHA-256 hex"));
        assertThat(sandbox.meta().audienceSize("123")).isZero();

        sandbox.reset();
        String hashed = raw.replace("ada@example.com", HASH);
        HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("meta") + "/123/users"))
                .header("Authorization", "Bearer sandbox-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(hashed)).build());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(sandbox.meta().audience("123")).containsKey("p-1");
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void googleWantsATokenFromTheOAuthEndpointAndHexHashes() throws Exception {
        String ingest = """
                {"destinations": [{"operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": "123"},
                  "productDestinationId": "456"}],
                 "audienceMembers": [{"userData": {"userIdentifiers": [{"emailAddress": "%s"}]}}],
                 "termsOfService": {"customerMatchTermsOfServiceStatus": "ACCEPTED"}, "encoding": "HEX"}""".formatted(HASH);
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("google")
                + "/v1/audienceMembers:ingest")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ingest)).build());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"iss\":\"sa@p.iam.gserviceaccount.com\",\"scope\":\"https://www.googleapis.com/auth/datamanager\","
                + "\"aud\":\"x\",\"iat\":1,\"exp\":3601}");
        HttpResponse<String> token = send(HttpRequest.newBuilder(URI.create(sandbox.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                        + "&assertion=" + header + "." + claims + ".c2ln")).build());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String bearer = token.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("google")
                + "/v1/audienceMembers:ingest")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofString(ingest)).build());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(sandbox.google().userList("456")).hasSize(1);

        HttpResponse<String> upper = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("google")
                + "/v1/audienceMembers:ingest")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(ingest.replace(HASH, "ada@example.com"))).build());
        assertThat(upper.statusCode()).isEqualTo(400);
        assertThat(sandbox.violations()).anyMatch(v -> v.contains("emailAddress"));
    }

    @Test
    void mailchimpReportsRefusedMembersOneByOneWithA200() throws Exception {
        sandbox.mailchimp().faults().refuseEmails("bad@example.com");
        String batch = """
                {"members": [{"email_address": "ada@example.com", "status_if_new": "subscribed", "tags": ["vip"]},
                             {"email_address": "bad@example.com", "status_if_new": "subscribed"}],
                 "update_existing": true}""";
        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("mailchimp") + "/3.0/lists/L1"))
                .header("Authorization", basic("any", "0123456789abcdef-us21")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build());
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).contains("\"error_count\":1").contains("bad@example.com");
        assertThat(sandbox.mailchimp().tagged("L1", "vip")).containsExactly("ada@example.com");
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void faultsAnswerAsAnOutageOrARateLimit() throws Exception {
        sandbox.webhook().faults().rateLimit(1, 7);
        HttpRequest hook = HttpRequest.newBuilder(URI.create(sandbox.baseUrl("webhook") + "/crm"))
                .header("X-Satsuma-Delivery", "d-1").header("X-Satsuma-Timestamp", "1").header("X-Satsuma-Signature", "v1=x")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> limited = send(hook);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("7");
        assertThat(send(hook).statusCode()).isEqualTo(204);
        assertThat(sandbox.webhook().times("d-1")).isEqualTo(1);
    }

    private HttpRequest.Builder klaviyo(String path, boolean revision) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sandbox.baseUrl("klaviyo") + path))
                .header("Authorization", "Klaviyo-API-Key pk_sandbox_key")
                .header("Content-Type", "application/vnd.api+json").header("Accept", "application/vnd.api+json");
        return revision ? builder.header("revision", "2026-07-15") : builder;
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
