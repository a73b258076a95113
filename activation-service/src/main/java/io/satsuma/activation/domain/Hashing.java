package io.satsuma.activation.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Digests the vendors ask for: SHA-256 (ad platforms), MD5 (Mailchimp's subscriber hash), as lower-case hex. */
public final class Hashing {
    private Hashing() {
    }

    public static String sha256(String normalised) {
        return hex("SHA-256", normalised);
    }

    public static String md5(String normalised) {
        return hex("MD5", normalised);
    }

    /** Mailchimp's member id: MD5 of the lower-cased address. */
    public static String mailchimpSubscriberHash(String email) {
        return md5(email.trim().toLowerCase(Locale.ROOT));
    }

    /** Digests are not thread-safe and costly to look up: one of each per thread. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> digest("MD5"));
    private static final HexFormat HEX = HexFormat.of();

    private static String hex(String algorithm, String value) {
        MessageDigest digest = (algorithm.equals("MD5") ? MD5 : SHA256).get();
        return HEX.formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
