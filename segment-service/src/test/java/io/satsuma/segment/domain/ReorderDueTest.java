package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * "Due to reorder" against a brute-force reading of its definition over random order histories, and its time-driven
 * flips against a minute-by-minute scan.
 */
class ReorderDueTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void aProductIsDueOnceItsUsualIntervalHasPassedSinceItsLastPurchase() throws Exception {
        Condition due = LanguageTest.parse("{\"reorder\": \"due\", \"within\": \"P365D\"}");
        Condition coffee = LanguageTest.parse("{\"reorder\": \"due\", \"within\": \"P365D\", \"product\": \"coffee\"}");
        ProfileFacts everyTwentyDays = orders(Map.of(-59, "coffee", -39, "coffee", -19, "coffee"));
        ProfileFacts onceOnly = orders(Map.of(-30, "tea"));

        assertThat(due.matches(everyTwentyDays, NOW)).as("last bought 19 days ago, usually every 20").isFalse();
        assertThat(due.nextFlip(everyTwentyDays, NOW)).contains(NOW.plus(Duration.ofDays(1)));
        assertThat(due.matches(everyTwentyDays, NOW.plus(Duration.ofDays(1)))).isTrue();
        assertThat(due.matches(onceOnly, NOW.plus(Duration.ofDays(300)))).as("bought once: no usual interval").isFalse();
        assertThat(coffee.matches(everyTwentyDays, NOW.plus(Duration.ofDays(2)))).isTrue();
        assertThat(LanguageTest.parse("{\"reorder\": \"due\", \"within\": \"P365D\", \"product\": \"tea\"}")
                .matches(everyTwentyDays, NOW.plus(Duration.ofDays(2)))).isFalse();
        assertThat(due.explain(everyTwentyDays, NOW.plus(Duration.ofDays(2))).observed()).isEqualTo(List.of("coffee"));
    }

    @Test
    void badReorderConditionsNameTheirField() {
        ConditionParser.Result result = ConditionParser.parse(json("{\"reorder\": \"soon\", \"within\": \"P900D\"}"));

        assertThat(result.errors()).extracting(ConditionError::pointer).containsExactly("/reorder", "/within");
    }

    @Test
    void matchesEqualsTheBruteForceReadingAndFlipsWhereAMinuteScanSeesThem() {
        Random random = new Random(21);
        int due = 0;
        for (int run = 0; run < 40; run++) {
            Duration within = Duration.ofDays(20 + random.nextInt(60));
            String product = random.nextInt(3) == 0 ? "p0" : null;
            Condition.ReorderDue condition = new Condition.ReorderDue(within, product);
            ConditionTest.ProfileFactsBuilder builder = ConditionTest.aProfile();
            for (int i = random.nextInt(10); i > 0; i--) {
                Instant at = NOW.plus(Duration.ofMinutes(random.nextInt(90 * 1440) - 80 * 1440));
                List<Map<String, Object>> lines = new ArrayList<>();
                for (int p = random.nextInt(3); p >= 0; p--) {
                    lines.add(random.nextBoolean() ? Map.of("product_id", "p" + random.nextInt(3))
                            : Map.of("sku", "p" + random.nextInt(3)));
                }
                builder.withEvent(random.nextInt(6) == 0 ? "Product Viewed" : "Order Completed", at,
                        Map.of("products", lines));
            }
            ProfileFacts facts = builder.build();
            boolean current = condition.matches(facts, NOW);
            Optional<Instant> flip = condition.nextFlip(facts, NOW);
            Instant firstSeen = null;
            for (Instant t = NOW; t.isBefore(NOW.plus(Duration.ofDays(60))); t = t.plus(Duration.ofMinutes(1))) {
                boolean oracle = oracle(facts, within, product, t);
                assertThat(condition.matches(facts, t)).as("run %d at %s", run, t).isEqualTo(oracle);
                due += oracle ? 1 : 0;
                if (firstSeen == null && oracle != current) {
                    firstSeen = t;
                }
            }
            if (firstSeen != null) {
                assertThat(flip).as("run %d: the first change a minute scan sees", run).contains(firstSeen);
            } else {
                assertThat(flip.map(t -> !t.isBefore(NOW.plus(Duration.ofDays(60))))).as("run %d", run)
                        .isIn(Optional.empty(), Optional.of(true));
            }
        }
        assertThat(due).as("minutes at which something was due").isPositive();
    }

    /** Due at t: some product (or the one named) has a purchase-day median gap that has passed since its last purchase. */
    private static boolean oracle(ProfileFacts facts, Duration within, String product, Instant t) {
        TreeMap<String, TreeSet<Instant>> bought = new TreeMap<>();
        for (ObservedEvent e : facts.events()) {
            if (!e.name().equals("Order Completed") || e.occurredAt().isAfter(t) || !e.occurredAt().isAfter(t.minus(within))) {
                continue;
            }
            for (Object line : (List<?>) e.properties().get("products")) {
                Map<?, ?> fields = (Map<?, ?>) line;
                String id = String.valueOf(fields.containsKey("product_id") ? fields.get("product_id") : fields.get("sku"));
                if (product == null || product.equals(id)) {
                    bought.computeIfAbsent(id, x -> new TreeSet<>()).add(e.occurredAt());
                }
            }
        }
        for (TreeSet<Instant> times : bought.values()) {
            List<LocalDate> days = times.stream().map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC)).distinct().sorted().toList();
            if (days.size() < 2) {
                continue;
            }
            List<Double> gaps = new ArrayList<>();
            for (int i = 1; i < days.size(); i++) {
                gaps.add((double) ChronoUnit.DAYS.between(days.get(i - 1), days.get(i)));
            }
            gaps.sort(Double::compareTo);
            double median = gaps.size() % 2 == 1 ? gaps.get(gaps.size() / 2)
                    : (gaps.get(gaps.size() / 2 - 1) + gaps.get(gaps.size() / 2)) / 2;
            if (!times.last().plusSeconds((long) (median * 86_400)).isAfter(t)) {
                return true;
            }
        }
        return false;
    }

    private static ProfileFacts orders(Map<Integer, String> productByDay) {
        ConditionTest.ProfileFactsBuilder builder = ConditionTest.aProfile();
        productByDay.forEach((day, product) -> builder.withEvent("Order Completed", NOW.plus(Duration.ofDays(day)),
                Map.of("products", List.of(Map.of("product_id", product)))));
        return builder.build();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
