package io.satsuma.segment.domain;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Control groups: whether a member of a segment is held out. The assignment hashes (segment, profile)
 * into one of 10,000 buckets, so it is stable across evaluations, instances and restarts, independent
 * between segments, and needs no stored state.
 */
public final class Holdouts {
    public static final BigDecimal MAX_PERCENT = BigDecimal.valueOf(50);
    private static final int BUCKETS = 10_000;

    private Holdouts() {
    }

    public static boolean isHeldOut(String segmentId, String profileId, BigDecimal percent) {
        if (percent == null || percent.signum() <= 0) {
            return false;
        }
        long threshold = percent.multiply(BigDecimal.valueOf(BUCKETS / 100)).longValue();
        return bucket(segmentId, profileId) < threshold;
    }

    static int bucket(String segmentId, String profileId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((segmentId + "\u0000" + profileId).getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), BUCKETS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
