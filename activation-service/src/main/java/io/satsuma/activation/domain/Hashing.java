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

    private static String hex(String algorithm, String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
