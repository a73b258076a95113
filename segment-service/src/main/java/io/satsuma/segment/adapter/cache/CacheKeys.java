package io.satsuma.segment.adapter.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The membership cache's key names (ADR 017), public for tools that read Redis directly (the mixed-traffic
 * benchmark's watcher): a profile's segments under {@code satsuma:<epoch>:<workspace>:p:<profileId>}, an identifier's
 * profile under {@code satsuma:<epoch>:<workspace>:i:<first 16 bytes of SHA-256 of type, NUL, value, in hex>}.
 */
public final class CacheKeys {
    private CacheKeys() {
    }

    public static String profile(long epoch, String workspace, String profileId) {
        return "satsuma:" + epoch + ":" + workspace + ":p:" + profileId;
    }

    /** The identifier hashed: an email or phone number never appears in a key name (or in Redis's logs). */
    public static String identifier(long epoch, String workspace, String idType, String idValue) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((idType + "\u0000" + idValue).getBytes(StandardCharsets.UTF_8));
            return "satsuma:" + epoch + ":" + workspace + ":i:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
