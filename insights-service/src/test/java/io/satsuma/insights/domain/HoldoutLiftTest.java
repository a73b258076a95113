package io.satsuma.insights.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HoldoutLiftTest {
    private static final LocalDate FROM = LocalDate.parse("2026-03-01");
    private static final LocalDate TO = LocalDate.parse("2026-03-31");

    @Test
    void theGroupsEqualTheBruteForceCountsOnRandomHistories() {
        Random random = new Random(99);
        for (int run = 0; run < 100; run++) {
            RandomHistory history = new RandomHistory(random, 5 + random.nextInt(40));
            int conversionDays = 1 + random.nextInt(20);

            HoldoutLift.Lift lift = HoldoutLift.compute(history.deliveredChanges(random), history.deliveredFacts(random),
                    history.from, history.to, conversionDays, 0.2);

            BruteForceMetrics.Groups expected = BruteForceMetrics.holdoutGroups(history, conversionDays);
            assertThat(lift.treatment().entrants()).as("run %d", run).isEqualTo(expected.treatmentEntrants());
            assertThat(lift.treatment().converted()).as("run %d", run).isEqualTo(expected.treatmentConverted());
            assertThat(lift.control().entrants()).as("run %d", run).isEqualTo(expected.controlEntrants());
            assertThat(lift.control().converted()).as("run %d", run).isEqualTo(expected.controlConverted());
            if (expected.treatmentEntrants() > 0) {
                assertThat(lift.treatment().revenuePerEntrant().doubleValue()).as("run %d", run)
                        .isCloseTo(expected.treatmentRevenue() / expected.treatmentEntrants(), within(0.00501)); // to the cent
            }
        }
    }

    @Test
    void aCampaignThatAddsConversionsIsSignificantWithItsInterval() {
        // 2,000 entrants, 10 % held out: treatment converts 15 %, control 8 %.
        HoldoutLift.Lift lift = campaign(1_800, 270, 200, 16, 0.10);

        assertThat(lift.treatment().conversionRate()).isCloseTo(0.15, within(1e-12));
        assertThat(lift.control().conversionRate()).isCloseTo(0.08, within(1e-12));
        assertThat(lift.absoluteConversionLift().value()).isCloseTo(0.07, within(1e-12));
        assertThat(lift.absoluteConversionLift().interval().lower()).isGreaterThan(0);
        assertThat(lift.relativeConversionLift()).isCloseTo(0.875, within(1e-9));
        assertThat(lift.sampleRatioMismatch()).isFalse();
        assertThat(lift.significant()).isTrue();
        assertThat(lift.revenueLift().value()).isPositive();
    }

    @Test
    void noClaimBelowTheMinimumSampleNorWhenTheSplitIsNotTheExpectedOne() {
        HoldoutLift.Lift small = campaign(90, 30, 10, 1, 0.10);
        assertThat(small.significant()).isNull();
        assertThat(small.verdict()).contains("fewer than 100 entrants");
        assertThat(small.absoluteConversionLift()).isNotNull(); // the estimate is still shown, with its interval

        HoldoutLift.Lift skewed = campaign(1_500, 225, 500, 40, 0.10);
        assertThat(skewed.sampleRatioMismatch()).isTrue();
        assertThat(skewed.significant()).isNull();
        assertThat(skewed.verdict()).contains("sample-ratio mismatch");
    }

    /** Entrants in March, each buyer ordering 2 days after entering for 40.00. */
    private static HoldoutLift.Lift campaign(int treatment, int treatmentBuyers, int control, int controlBuyers,
                                             double share) {
        List<MembershipRecord> changes = new ArrayList<>();
        List<Fact> facts = new ArrayList<>();
        Instant entered = Instant.parse("2026-03-05T12:00:00Z");
        for (int i = 0; i < treatment + control; i++) {
            boolean held = i >= treatment;
            String profile = "p" + i;
            changes.add(new MembershipRecord(profile, 1, true, entered.plusSeconds(i), held));
            if ((!held && i < treatmentBuyers) || (held && i - treatment < controlBuyers)) {
                facts.add(new Fact("o" + i, profile, Fact.Kind.ORDER, "o" + i, new BigDecimal("40.00"),
                        entered.plusSeconds(i).plus(Duration.ofDays(2))));
            }
        }
        return HoldoutLift.compute(changes, facts, FROM, TO, 7, share);
    }
}
