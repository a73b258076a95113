package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's OAuth 2.0 token endpoint for service accounts ({@code POST /oauth2/token}, JWT bearer grant, RFC 7523):
 * checks the assertion's shape (RS256, issuer, scope, audience, expiry within an hour) and issues bearer tokens that
 * the Google and FCM stubs accept, per scope.
 */
public final class OAuthStub extends VendorStub {
    static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    OAuthStub(ObjectMapper json, Clock clock) {
        super("oauth2", json, clock);
    }

    /** Whether {@code authorization} is a bearer token issued for {@code scope}. */
    boolean accepts(String authorization, String scope) {
        return authorization != null && authorization.startsWith("Bearer ")
                && scope.equals(tokens.get(authorization.substring(7)));
    }

    @Override
    public Object state() {
        return Map.of("tokensIssued", tokens.size(), "scopes", Set.copyOf(tokens.values()));
    }

    @Override
    protected void clearState() {
        tokens.clear();
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(400, Map.of("error", "invalid_grant", "error_description", "Invalid JWT Signature."));
    }

    @Override
    protected Reply handle(Call call) {
        if (!call.path.equals("/token") || !call.method.equals("POST")) {
            call.violation("oauth2: only POST /token");
            return Reply.empty(404);
        }
        if (!call.contentType().equals("application/x-www-form-urlencoded")) {
            call.violation("oauth2: the grant must be form-encoded");
        }
        Map<String, List<String>> form = call.form();
        if (!List.of(GRANT).equals(form.get("grant_type"))) {
            call.violation("oauth2: grant_type must be " + GRANT);
        }
        String assertion = form.getOrDefault("assertion", List.of("")).get(0);
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            call.violation("oauth2: the assertion is not a signed JWT");
            return Reply.empty(400);
        }
        JsonNode header = decode(call, parts[0]);
        JsonNode claims = decode(call, parts[1]);
        if (!"RS256".equals(header.path("alg").asText())) {
            call.violation("oauth2: the JWT must be signed with RS256");
        }
        for (String claim : List.of("iss", "scope", "aud", "iat", "exp")) {
            if (!claims.has(claim)) {
                call.violation("oauth2: the JWT has no " + claim + " claim");
            }
        }
        long lifetime = claims.path("exp").asLong() - claims.path("iat").asLong();
        if (lifetime <= 0 || lifetime > 3600) {
            call.violation("oauth2: exp must be after iat, at most an hour");
        }
        if (parts[2].isEmpty()) {
            call.violation("oauth2: the JWT has no signature");
        }
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        String token = "ya29.sandbox-" + UUID.randomUUID();
        tokens.put(token, claims.path("scope").asText());
        return Reply.json(200, Map.of("access_token", token, "expires_in", 3599, "token_type", "Bearer"));
    }

    private JsonNode decode(Call call, String part) {
        try {
            return json.readTree(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
        } catch (Exception e) {
            call.violation("oauth2: a JWT part is not base64url JSON");
            return json.createObjectNode();
        }
    }
}
