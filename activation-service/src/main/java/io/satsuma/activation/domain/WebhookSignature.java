package io.satsuma.activation.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries: {@code X-Satsuma-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}
 * with the Unix timestamp in {@code X-Satsuma-Timestamp}. Binding the timestamp into the signature
 * lets receivers refuse replays older than their tolerance.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Satsuma-Signature";
    public static final String TIMESTAMP_HEADER = "X-Satsuma-Timestamp";
    public static final String DELIVERY_HEADER = "X-Satsuma-Delivery";
    public static final String VERSION = "v1";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return VERSION + "=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(String secret, long timestampSeconds, String body, String signatureHeader) {
        byte[] expected = sign(secret, timestampSeconds, body).getBytes(StandardCharsets.UTF_8);
        byte[] actual = signatureHeader == null ? new byte[0] : signatureHeader.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, actual);
    }
}
