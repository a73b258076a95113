package io.satsuma.insights.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;

class SegmentMetricsTest {

    /** Doubles to 1e-9, decimals by value (2.50 = 2.5). */
    static final RecursiveComparisonConfiguration SAME_FIGURES = RecursiveComparisonConfiguration.builder()
            .withComparatorForType((a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b), Double.class)
            .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
            .build();

    @Test
    void everyFigureEqualsTheBruteForceComputationOnRandomHistoriesDeliveredLateTwiceAndOutOfOrder() {
        Random random = new Random(20261201);
        int nonEmpty = 0;
        for (int run = 0; run < 150; run++) {
            RandomHistory history = new RandomHistory(random, 5 + random.nextInt(30));
            Bucketing bucketing = Bucketing.values()[random.nextInt(3)];
            int conversionDays = 1 + random.nextInt(30);

            List<SegmentMetrics.BucketMetrics> actual = SegmentMetrics.compute(history.deliveredChanges(random),
                    history.deliveredFacts(random), history.from, history.to, bucketing, conversionDays);

            List<SegmentMetrics.BucketMetrics> expected = BruteForceMetrics.compute(history, bucketing, conversionDays);
            assertThat(actual).as("run %d: buckets", run).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).as("run %d (%s, %d days), bucket %s", run, bucketing, conversionDays,
                        expected.get(i).start()).usingRecursiveComparison(SAME_FIGURES).isEqualTo(expected.get(i));
            }
            nonEmpty += actual.stream().filter(b -> b.orders() > 0 && b.converted() > 0 && b.exits() > 0).count() > 0 ? 1 : 0;
        }
        assertThat(nonEmpty).as("runs with orders, conversions and exits in one bucket").isGreaterThan(50);
    }

    @Test
    void aMemberCountsFromTheInstantItEntersUntilTheInstantItExits() {
        Instant midnight = Instant.parse("2026-03-02T00:00:00Z");
        List<MembershipRecord> changes = List.of(
                new MembershipRecord("p", 2, false, midnight, false),
                new MembershipRecord("p", 1, true, Instant.parse("2026-03-01T10:00:00Z"), false));
        List<Fact> facts = List.of(
                new Fact("before", "p", Fact.Kind.ORDER, "o1", new BigDecimal("5"), Instant.parse("2026-03-01T09:59:59Z")),
                new Fact("during", "p", Fact.Kind.ORDER, "o2", new BigDecimal("20"), Instant.parse("2026-03-01T10:00:00Z")),
                new Fact("refund", "p", Fact.Kind.REFUND, "o2", new BigDecimal("5"), Instant.parse("2026-04-01T00:00:00Z")),
                new Fact("at-exit", "p", Fact.Kind.ORDER, "o3", new BigDecimal("7"), midnight));

        List<SegmentMetrics.BucketMetrics> days = SegmentMetrics.compute(changes, facts,
                LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"), Bucketing.DAY, 1);

        SegmentMetrics.BucketMetrics first = days.get(0);
        assertThat(first.size()).isEqualTo(1);   // still a member just before midnight
        assertThat(first.orders()).isEqualTo(1); // the order at the entry instant; not the one a second before
        assertThat(first.netRevenue()).isEqualByComparingTo("15");
        assertThat(first.converted()).isEqualTo(1);
        assertThat(first.medianDaysToFirstOrder()).isEqualTo(0.0);
        SegmentMetrics.BucketMetrics second = days.get(1);
        assertThat(second.exits()).isEqualTo(1);
        assertThat(second.size()).isZero();
        assertThat(second.members()).isZero();   // exited at the bucket's first instant
        assertThat(second.orders()).isZero();    // the order at the exit instant is not a member's
        assertThat(second.revenuePerMember()).isNull();
    }
}
