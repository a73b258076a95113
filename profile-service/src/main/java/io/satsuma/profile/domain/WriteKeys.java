package io.satsuma.profile.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Generating and hashing write keys. */
public final class WriteKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private WriteKeys() {
    }

    /** A new random key: {@code wk_} and 32 random bytes, URL-safe. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "wk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String writeKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(writeKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
