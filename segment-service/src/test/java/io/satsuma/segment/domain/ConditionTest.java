package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConditionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void orderedInTheLast30DaysCountsOnlyOrdersInsideTheWindow() throws Exception {
        Condition recentBuyer = parse("""
                {"event":"Order Completed","aggregate":"count","within":"P30D","op":"gte","value":1}""");

        assertThat(recentBuyer.matches(aProfile().withEvent("Order Completed", NOW.minus(Duration.ofDays(29)), Map.of()).build(), NOW)).isTrue();
        assertThat(recentBuyer.matches(aProfile().withEvent("Order Completed", NOW.minus(Duration.ofDays(30)), Map.of()).build(), NOW)).isFalse();
        assertThat(recentBuyer.matches(aProfile().withEvent("Product Viewed", NOW, Map.of()).build(), NOW)).isFalse();
        assertThat(recentBuyer.relevantSince(NOW)).isEqualTo(NOW.minus(Duration.ofDays(30)));
    }

    @Test
    void sumAddsANumericPropertyOfTheWindowsEvents() throws Exception {
        Condition bigSpender = parse("""
                {"event":"Order Completed","aggregate":"sum","property":"revenue","within":"P90D","op":"gt","value":100}""");
        ProfileFacts facts = aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(10)), Map.of("revenue", 60))
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(20)), Map.of("revenue", 50.5))
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(100)), Map.of("revenue", 1000))
                .build();

        assertThat(bigSpender.matches(facts, NOW)).isTrue();
        assertThat(bigSpender.matches(facts, NOW.plus(Duration.ofDays(71)))).isFalse();
    }

    @Test
    void booleanCombinatorsAndTraitOperators() throws Exception {
        Condition condition = parse("""
                {"all":[
                  {"trait":"country","op":"in","value":["United Kingdom","France"]},
                  {"any":[{"trait":"plan","op":"eq","value":"gold"},{"trait":"age","op":"gte","value":40}]},
                  {"not":{"trait":"unsubscribed","op":"exists"}}]}""");

        assertThat(condition.matches(aProfile().withTrait("country", "France").withTrait("age", 41).build(), NOW)).isTrue();
        assertThat(condition.matches(aProfile().withTrait("country", "France").withTrait("age", 39).build(), NOW)).isFalse();
        assertThat(condition.matches(aProfile().withTrait("country", "France").withTrait("plan", "gold")
                .withTrait("unsubscribed", true).build(), NOW)).isFalse();
        assertThat(condition.matches(aProfile().withTrait("country", "Spain").withTrait("plan", "gold").build(), NOW)).isFalse();
    }

    @Test
    void missingTraitsNeverMatchComparisons() {
        assertThat(Operator.GT.test(null, 1)).isFalse();
        assertThat(Operator.EQ.test(null, "x")).isFalse();
        assertThat(Operator.NE.test(null, "x")).isTrue();
        assertThat(Operator.MISSING.test(null, null)).isTrue();
        assertThat(Operator.EQ.test(2, 2.0)).isTrue();
        assertThat(Operator.CONTAINS.test(List.of("a", "b"), "b")).isTrue();
        assertThat(Operator.LT.test("abc", 3)).isFalse();
    }

    /** A window aggregate gives, at any instant, what counting the raw events at that instant gives. */
    @Test
    void windowedCountMatchesABruteForceRecountAtRandomInstants() {
        Random random = new Random(42);
        for (int run = 0; run < 500; run++) {
            Duration window = Duration.ofSeconds(1 + random.nextInt(10_000));
            int threshold = 1 + random.nextInt(3);
            Condition.EventAggregate condition = new Condition.EventAggregate("E", Condition.Aggregate.COUNT, null,
                    window, Operator.GTE, BigDecimal.valueOf(threshold));
            ProfileFactsBuilder builder = aProfile();
            List<Instant> times = new ArrayList<>();
            for (int i = 0; i < random.nextInt(12); i++) {
                Instant at = NOW.minusSeconds(random.nextInt(20_000));
                times.add(at);
                builder.withEvent(random.nextInt(4) == 0 ? "Other" : "E", at, Map.of());
            }
            ProfileFacts facts = builder.build();
            Instant t = NOW.minusSeconds(random.nextInt(20_000));

            long bruteForce = facts.events().stream().filter(e -> e.name().equals("E"))
                    .filter(e -> e.occurredAt().isAfter(t.minus(window)) && !e.occurredAt().isAfter(t)).count();
            assertThat(condition.matches(facts, t)).as("run %d", run).isEqualTo(bruteForce >= threshold);
        }
    }

    private static Condition parse(String json) throws Exception {
        return LanguageTest.parse(json);
    }

    static ProfileFactsBuilder aProfile() {
        return new ProfileFactsBuilder();
    }

    static final class ProfileFactsBuilder {
        private final Map<String, Object> traits = new HashMap<>();
        private final List<ObservedEvent> events = new ArrayList<>();

        ProfileFactsBuilder withTrait(String name, Object value) {
            traits.put(name, value);
            return this;
        }

        ProfileFactsBuilder withEvent(String name, Instant at, Map<String, Object> properties) {
            events.add(new ObservedEvent("e" + events.size(), name, at, properties));
            return this;
        }

        ProfileFacts build() {
            return new ProfileFacts("p", traits, events);
        }
    }
}
