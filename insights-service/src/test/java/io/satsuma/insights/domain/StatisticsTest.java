package io.satsuma.insights.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Each method against values published for fixed inputs. */
class StatisticsTest {

    /** Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10 (score, no continuity correction). */
    @Test
    void theDifferenceOfTwoProportionsHasNewcombesPublishedIntervals() {
        assertNewcombe(56, 70, 48, 80, 0.0524, 0.3339);
        assertNewcombe(9, 10, 3, 10, 0.1705, 0.8090);
        assertNewcombe(0, 10, 0, 20, -0.1611, 0.2775);
        assertNewcombe(0, 10, 0, 10, -0.2775, 0.2775);
        assertNewcombe(10, 10, 0, 20, 0.6791, 1.0000);
        assertNewcombe(10, 10, 0, 10, 0.6075, 1.0000);
    }

    /** R: prop.test(c(56, 48), c(70, 80), correct = FALSE) gives X-squared = 7.0234, p-value = 0.008045. */
    @Test
    void theTwoProportionTestIsPearsonsChiSquaredWithoutCorrection() {
        Statistics.Estimate d = Statistics.differenceOfProportions(56, 70, 48, 80, 0.95);
        assertThat(d.value()).isCloseTo(0.2, within(1e-12));
        assertThat(d.pValue()).isCloseTo(0.008045, within(5e-7));
    }

    /**
     * R: t.test(extra ~ group, data = sleep) — Welch: t = -1.8608, df = 17.776, p-value = 0.07939, 95 percent
     * confidence interval -3.3654832 0.2054832 (Student's sleep data, Biometrika 1908).
     */
    @Test
    void theDifferenceOfTwoMeansHasWelchsIntervalAndTest() {
        double[] group1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
        double[] group2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

        Statistics.Estimate d = Statistics.differenceOfMeans(group1, group2, 0.95);

        assertThat(d.value()).isCloseTo(-1.58, within(1e-12));
        assertThat(d.interval().lower()).isCloseTo(-3.3654832, within(1e-6));
        assertThat(d.interval().upper()).isCloseTo(0.2054832, within(1e-6));
        assertThat(d.pValue()).isCloseTo(0.07939, within(5e-6));
    }

    /** 900 of 10,000 in a 10 % control group: Pearson's χ² = 11.11 on 1 df, p = 0.000858. */
    @Test
    void aSplitFarFromTheExpectedShareIsASampleRatioMismatch() {
        assertThat(Statistics.sampleRatioPValue(900, 10_000, 0.10)).isCloseTo(0.000858, within(5e-7));
        assertThat(Statistics.sampleRatioPValue(1_000, 10_000, 0.10)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theRatioIntervalHoldsItsEstimateAndNeedsSuccessesInBothGroups() {
        Statistics.Interval ratio = Statistics.relativeDifferenceOfProportions(56, 70, 48, 80, 0.95);
        assertThat(ratio.lower()).isLessThan(0.8 / 0.6 - 1).isGreaterThan(0);
        assertThat(ratio.upper()).isGreaterThan(0.8 / 0.6 - 1);
        assertThat(Statistics.relativeDifferenceOfProportions(0, 70, 48, 80, 0.95)).isNull();
    }

    private static void assertNewcombe(long x1, long n1, long x2, long n2, double lower, double upper) {
        Statistics.Interval interval = Statistics.differenceOfProportions(x1, n1, x2, n2, 0.95).interval();
        assertThat(interval.lower()).as("%d/%d − %d/%d lower", x1, n1, x2, n2).isCloseTo(lower, within(5e-5));
        assertThat(interval.upper()).as("%d/%d − %d/%d upper", x1, n1, x2, n2).isCloseTo(upper, within(5e-5));
    }
}
