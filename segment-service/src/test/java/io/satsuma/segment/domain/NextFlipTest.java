package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The instant a membership flips with the passage of time alone, checked against a second-by-second scan. */
class NextFlipTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void recentBuyerFlipsExactlyWhenTheLastOrderLeavesTheWindow() {
        Condition recentBuyer = count("Order Completed", Duration.ofDays(30), Operator.GTE, 1);
        Instant lastOrder = NOW.minus(Duration.ofDays(3));
        ProfileFacts facts = ConditionTest.aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(10)), Map.of())
                .withEvent("Order Completed", lastOrder, Map.of())
                .build();

        assertThat(recentBuyer.nextFlip(facts, NOW)).contains(lastOrder.plus(Duration.ofDays(30)));
        assertThat(recentBuyer.matches(facts, lastOrder.plus(Duration.ofDays(30)).minusNanos(1))).isTrue();
        assertThat(recentBuyer.matches(facts, lastOrder.plus(Duration.ofDays(30)))).isFalse();
    }

    @Test
    void cartAbandonerEntersWhenTheHourWithoutAnOrderIsOver() {
        Condition abandoned = new Condition.All(List.of(
                count("Product Added", Duration.ofDays(1), Operator.GTE, 1),
                new Condition.Not(count("Order Completed", Duration.ofHours(1), Operator.GTE, 1))));
        Instant order = NOW.minus(Duration.ofMinutes(20));
        ProfileFacts facts = ConditionTest.aProfile()
                .withEvent("Product Added", NOW.minus(Duration.ofMinutes(30)), Map.of())
                .withEvent("Order Completed", order, Map.of())
                .build();

        assertThat(abandoned.matches(facts, NOW)).isFalse();
        assertThat(abandoned.nextFlip(facts, NOW)).contains(order.plus(Duration.ofHours(1)));
    }

    @Test
    void traitsAloneNeverFlipWithTime() {
        Condition gold = new Condition.TraitComparison("plan", Operator.EQ, "gold");

        assertThat(gold.nextFlip(ConditionTest.aProfile().withTrait("plan", "gold").build(), NOW)).isEmpty();
    }

    @Test
    void nextFlipIsTheFirstSecondAtWhichABruteForceScanSeesAChange() {
        Random random = new Random(2026);
        for (int run = 0; run < 300; run++) {
            Condition condition = randomCondition(random, 0);
            ConditionTest.ProfileFactsBuilder builder = ConditionTest.aProfile();
            builder.withTrait("signed_up_at", NOW.plusSeconds(random.nextInt(400) - 300).toString());
            for (int i = 0; i < random.nextInt(8); i++) {
                // Mostly past events, a few with future timestamps (clock skew, scheduled imports).
                builder.withEvent(random.nextBoolean() ? "A" : "B", NOW.plusSeconds(random.nextInt(400) - 300),
                        Map.of("amount", random.nextInt(5)));
            }
            ProfileFacts facts = builder.build();

            Optional<Instant> expected = Optional.empty();
            boolean current = condition.matches(facts, NOW);
            for (int second = 1; second <= 1_000; second++) {
                if (condition.matches(facts, NOW.plusSeconds(second)) != current) {
                    expected = Optional.of(NOW.plusSeconds(second));
                    break;
                }
            }
            assertThat(condition.nextFlip(facts, NOW)).as("run %d: %s", run, condition).isEqualTo(expected);
        }
    }

    private static Condition randomCondition(Random random, int depth) {
        int kind = depth >= 2 ? 3 + random.nextInt(5) : random.nextInt(8);
        return switch (kind) {
            case 0 -> new Condition.All(List.of(randomCondition(random, depth + 1), randomCondition(random, depth + 1)));
            case 1 -> new Condition.Any(List.of(randomCondition(random, depth + 1), randomCondition(random, depth + 1)));
            case 2 -> new Condition.Not(randomCondition(random, depth + 1));
            case 4 -> new Condition.TraitComparison("signed_up_at", random.nextBoolean() ? Operator.OLDER_THAN : Operator.WITHIN_LAST,
                    Duration.ofSeconds(1 + random.nextInt(300)));
            case 7 -> new Condition.EventAggregate("A", random.nextBoolean() ? Condition.Aggregate.FIRST : Condition.Aggregate.LAST,
                    null, List.of(), Duration.ofSeconds(1 + random.nextInt(300)), null, null,
                    random.nextBoolean() ? Operator.OLDER_THAN : Operator.WITHIN_LAST, Duration.ofSeconds(1 + random.nextInt(200)));
            case 6 -> new Condition.Sequence(new Condition.EventMatcher("A", List.of()),
                    new Condition.EventMatcher("B", List.of()), Duration.ofSeconds(1 + random.nextInt(100)),
                    Duration.ofSeconds(1 + random.nextInt(300)), random.nextBoolean());
            case 5 -> new Condition.EventAggregate("A", Condition.Aggregate.COUNT, null, List.of(), null,
                    NOW.plusSeconds(random.nextInt(300) - 250), NOW.plusSeconds(random.nextInt(300) + 60), Operator.GTE,
                    BigDecimal.ONE);
            default -> random.nextBoolean()
                    ? count(random.nextBoolean() ? "A" : "B", Duration.ofSeconds(1 + random.nextInt(300)),
                            random.nextBoolean() ? Operator.GTE : Operator.LT, 1 + random.nextInt(3))
                    : new Condition.EventAggregate("A", Condition.Aggregate.SUM, "amount",
                            Duration.ofSeconds(1 + random.nextInt(300)), Operator.GT, BigDecimal.valueOf(random.nextInt(6)));
        };
    }

    private static Condition count(String event, Duration within, Operator op, int value) {
        return new Condition.EventAggregate(event, Condition.Aggregate.COUNT, null, within, op, BigDecimal.valueOf(value));
    }
}
