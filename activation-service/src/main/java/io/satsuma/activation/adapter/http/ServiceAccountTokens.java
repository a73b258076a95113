package io.satsuma.activation.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OAuth 2.0 access tokens for Google service accounts (Data Manager API, FCM): a JWT signed with the account's key
 * (RS256) is exchanged at the token endpoint (JWT bearer grant, RFC 7523) for a token, cached until a minute before
 * it expires. A refused key is an authorization problem (the sync pauses), not a retry.
 */
@ApplicationScoped
class ServiceAccountTokens {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final ChannelHttp http;
    private final Clock clock;
    private final Cache<List<String>, Token> tokens = Caffeine.newBuilder().maximumSize(10_000).build();

    ServiceAccountTokens(ChannelHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    private record Token(String value, Instant expiresAt) {
    }

    /** A bearer token for the destination's service account and the scope. */
    String token(Target target, String scope) throws ChannelHttp.NoAnswer, InterruptedException {
        String tokenUrl = target.destination().setting("tokenUrl").orElse(DestinationType.GOOGLE_TOKEN_URL);
        String clientEmail = target.config("clientEmail");
        String privateKey = target.secret("privateKey");
        List<String> key = List.of(tokenUrl, clientEmail, scope, Integer.toHexString(privateKey.hashCode()));
        Token cached = tokens.getIfPresent(key);
        Instant now = clock.instant();
        if (cached != null && cached.expiresAt().isAfter(now.plusSeconds(60))) {
            return cached.value();
        }
        String assertion = assertion(http.mapper(), clientEmail, scope, tokenUrl, privateKey, now);
        HttpRequest request = http.request(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(ChannelHttp.formBody(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                        "assertion", assertion)))
                .build();
        ChannelHttp.Reply reply = http.send(target.destination().id() + "#oauth", request);
        if (!reply.ok()) {
            CallOutcome outcome = reply.status() == 400 || reply.status() == 401 || reply.status() == 403
                    ? new CallOutcome.Unauthorized("the OAuth token endpoint refused the service account (HTTP "
                    + reply.status() + " " + reply.json(http.mapper()).path("error").asText("") + ")")
                    : ChannelHttp.classify("the OAuth token endpoint", reply);
            throw new ChannelHttp.NoAnswer(outcome);
        }
        JsonNode body = reply.json(http.mapper());
        Token token = new Token(body.path("access_token").asText(), now.plusSeconds(body.path("expires_in").asLong(3600)));
        tokens.put(key, token);
        return token.value();
    }

    /** The signed JWT of the grant: issuer the account, audience the token endpoint, valid one hour. */
    static String assertion(ObjectMapper json, String clientEmail, String scope, String audience, String pem,
                            Instant now) {
        String header = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> claimSet = new LinkedHashMap<>();
        claimSet.put("iss", clientEmail);
        claimSet.put("scope", scope);
        claimSet.put("aud", audience);
        claimSet.put("iat", now.getEpochSecond());
        claimSet.put("exp", now.getEpochSecond() + 3600);
        try {
            String claims = URL.encodeToString(json.writeValueAsBytes(claimSet));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey(pem));
            signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + URL.encodeToString(signer.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("the service account's private key is unusable: " + e.getClass().getSimpleName());
        }
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s+", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
