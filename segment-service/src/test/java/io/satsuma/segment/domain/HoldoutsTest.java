package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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
