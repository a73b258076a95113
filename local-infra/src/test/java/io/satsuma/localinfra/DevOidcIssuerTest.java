package io.satsuma.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's sign-in on the dev issuer: authorization code with PKCE, as a browser and a public client do it. */
class DevOidcIssuerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String CLIENT = "satsuma-console";
    private static final String REDIRECT = "http://127.0.0.1:8084/console/";
    private static final String VERIFIER = "a-verifier-of-at-least-43-characters-0123456789";

    private static DevOidcIssuer issuer;
    private static JsonNode discovery;

    @BeforeAll
    static void start() throws Exception {
        issuer = DevOidcIssuer.start(0);
        discovery = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(issuer.issuer()
                + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void discoveryAdvertisesTheCodeFlowWithPkceAtKeycloaksPaths() {
        assertThat(discovery.path("authorization_endpoint").asText()).isEqualTo(issuer.issuer() + "/protocol/openid-connect/auth");
        assertThat(discovery.path("token_endpoint").asText()).isEqualTo(issuer.issuer() + "/protocol/openid-connect/token");
        assertThat(discovery.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    }

    @Test
    void aSignedInPersonGetsTokensWithTheirRolesAndWorkspaceAndTheCodeWorksOnce() throws Exception {
        Map<String, String> request = authorizationRequest(AuthorizationCodes.s256(VERIFIER));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(discovery.path("authorization_endpoint")
                .asText() + "?" + form(request))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"username\" value=\"maria\"", "value=\"" + REDIRECT + "\"");

        String code = signIn(request, "ana", "acme");
        HttpResponse<String> tokens = redeem(code, VERIFIER);
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat(tokens.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        JsonNode access = payload(JSON.readTree(tokens.body()).path("access_token").asText());
        assertThat(access.path("workspace").asText()).isEqualTo("acme");
        assertThat(access.path("groups").toString()).isEqualTo("[\"analyst\"]");
        assertThat(access.path("aud").asText()).isEqualTo("satsuma");
        JsonNode id = payload(JSON.readTree(tokens.body()).path("id_token").asText());
        assertThat(id.path("aud").asText()).isEqualTo(CLIENT);
        assertThat(id.path("nonce").asText()).isEqualTo("n-1");

        HttpResponse<String> again = redeem(code, VERIFIER);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(again.body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aWrongVerifierIsRefusedAndBurnsTheCode() throws Exception {
        Map<String, String> request = authorizationRequest(AuthorizationCodes.s256(VERIFIER));
        String code = signIn(request, "maria", "demo");
        HttpResponse<String> wrong = redeem(code, VERIFIER + "x");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrong.body()).path("error_description").asText()).contains("code_verifier");
        assertThat(redeem(code, VERIFIER).statusCode()).isEqualTo(400);
    }

    @Test
    void requestsWithoutPkceOrToAnotherHostAreRefusedBeforeAnyoneSignsIn() throws Exception {
        Map<String, String> noPkce = authorizationRequest("");
        assertThat(get(noPkce).statusCode()).isEqualTo(400);
        Map<String, String> elsewhere = authorizationRequest(AuthorizationCodes.s256(VERIFIER));
        elsewhere.put("redirect_uri", "https://evil.example/console/");
        HttpResponse<String> refused = get(elsewhere);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("loopback");
    }

    private static Map<String, String> authorizationRequest(String challenge) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", CLIENT);
        request.put("redirect_uri", REDIRECT);
        request.put("state", "s-1");
        request.put("nonce", "n-1");
        request.put("code_challenge", challenge);
        request.put("code_challenge_method", "S256");
        return request;
    }

    private static HttpResponse<String> get(Map<String, String> request) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(discovery.path("authorization_endpoint").asText() + "?"
                + form(request))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Submits the sign-in form; returns the code of the redirect after checking it carries the state back. */
    private static String signIn(Map<String, String> request, String username, String workspace) throws Exception {
        Map<String, String> submitted = new LinkedHashMap<>(request);
        submitted.put("username", username);
        submitted.put("workspace", workspace);
        HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(discovery.path("authorization_endpoint")
                        .asText())).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(submitted))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT + "?code=").endsWith("&state=s-1");
        return location.getQuery().replaceAll("^code=([^&]+)&.*$", "$1");
    }

    private static HttpResponse<String> redeem(String code, String verifier) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(discovery.path("token_endpoint").asText()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
                        "client_id", CLIENT, "redirect_uri", REDIRECT, "code_verifier", verifier))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode payload(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
