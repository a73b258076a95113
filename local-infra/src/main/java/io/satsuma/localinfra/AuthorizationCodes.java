package io.satsuma.localinfra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization codes of the dev issuer's sign-in (OAuth 2.0 authorization-code grant with PKCE, RFC 7636):
 * a code is issued for one sign-in, redeemed once, within a minute, by the client and redirect URI it was issued
 * to, and only with the verifier whose S256 challenge it was issued under.
 */
final class AuthorizationCodes {
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** Who signed in, and what the client asked for. */
    record Grant(String subject, String workspace, List<String> roles, String clientId, String redirectUri,
                 String codeChallenge, String nonce, Instant expiresAt) {
    }

    /** Why a code was refused, as an OAuth error code and a description. */
    static final class Refused extends Exception {
        final String error;

        Refused(String error, String description) {
            super(description, null, false, false);
            this.error = error;
        }
    }

    private final Map<String, Grant> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    AuthorizationCodes(Clock clock) {
        this.clock = clock;
    }

    String issue(String subject, String workspace, List<String> roles, String clientId, String redirectUri,
                 String codeChallenge, String nonce) {
        pending.values().removeIf(g -> g.expiresAt().isBefore(clock.instant()));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = B64URL.encodeToString(bytes);
        pending.put(code, new Grant(subject, workspace, List.copyOf(roles), clientId, redirectUri, codeChallenge, nonce,
                clock.instant().plus(LIFETIME)));
        return code;
    }

    /** Redeems a code once; every failure removes it too, so a guessed verifier cannot be retried. */
    Grant redeem(String code, String clientId, String redirectUri, String codeVerifier) throws Refused {
        Grant grant = code == null ? null : pending.remove(code);
        if (grant == null || grant.expiresAt().isBefore(clock.instant())) {
            throw new Refused("invalid_grant", "the code is unknown, expired or already used");
        }
        if (!grant.clientId().equals(clientId)) {
            throw new Refused("invalid_grant", "the code was issued to another client");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            throw new Refused("invalid_grant", "redirect_uri differs from the one the code was issued for");
        }
        if (codeVerifier == null || !grant.codeChallenge().equals(s256(codeVerifier))) {
            throw new Refused("invalid_grant", "code_verifier does not match the code_challenge (S256)");
        }
        return grant;
    }

    static String s256(String verifier) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
