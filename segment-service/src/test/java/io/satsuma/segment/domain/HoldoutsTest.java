package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HoldoutsTest {
    @Test
    void theShareHeldOutIsThePercentageAndTheAssignmentIsStable() {
        int heldOut = 0;
        for (int i = 0; i < 100_000; i++) {
            if (Holdouts.isHeldOut("segment-1", "profile-" + i, BigDecimal.TEN)) {
                heldOut++;
            }
        }
        assertThat(heldOut).isBetween(9_500, 10_500);
        assertThat(Holdouts.isHeldOut("segment-1", "profile-42", BigDecimal.TEN))
                .isEqualTo(Holdouts.isHeldOut("segment-1", "profile-42", BigDecimal.TEN));
    }

    @Test
    void theAssignmentIsTheDocumentedHashComputedIndependently() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            String segment = "s" + (i % 7);
            String profile = UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString();
            // SHA-256(segment, NUL, profile); its first 8 bytes as an unsigned number; modulo 10,000; below percent × 100.
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((segment + "\u0000" + profile).getBytes(StandardCharsets.UTF_8));
            long bucket = new BigInteger(1, Arrays.copyOf(digest, 8))
                    .mod(BigInteger.valueOf(10_000)).longValue();
            assertThat(Holdouts.isHeldOut(segment, profile, new BigDecimal("12.5"))).as("%s %s", segment, profile)
                    .isEqualTo(bucket < 1_250);
        }
    }

    @Test
    void segmentsDrawIndependentControlGroups() {
        int both = 0;
        for (int i = 0; i < 100_000; i++) {
            if (Holdouts.isHeldOut("a", "p" + i, BigDecimal.valueOf(50)) && Holdouts.isHeldOut("b", "p" + i, BigDecimal.valueOf(50))) {
                both++;
            }
        }
        assertThat(both).isBetween(24_000, 26_000);
    }

    @Test
    void zeroHoldsOutNobody() {
        assertThat(Holdouts.isHeldOut("a", "p", BigDecimal.ZERO)).isFalse();
        assertThat(Holdouts.isHeldOut("a", "p", null)).isFalse();
    }
}
