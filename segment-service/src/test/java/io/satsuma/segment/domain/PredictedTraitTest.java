package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.predictive.CustomerValue;
import io.satsuma.predictive.GammaGamma;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code $predicted.*} in conditions: the values are the library's formulas on the profile's orders as the models
 * read them, undefined without orders or models, and their time-driven flips are where a day-by-day (or, for
 * affinity, millisecond) reading of the definition sees them.
 */
class PredictedTraitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The published CDNOW fits (Fader, Hardie and Lee 2005; Fader and Hardie 2013), weeks as the unit. */
    static final PredictiveModels CDNOW = new PredictiveModels(3, new BgNbd(0.243, 4.414, 0.793, 2.426),
            new GammaGamma(6.25, 3.74, 15.44), 7, LocalDate.parse("1997-09-30"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final Instant NOW = Instant.parse("2026-12-05T15:00:00Z");

    @Test
    void valuesAreTheModelsFormulasOnTheProfilesOrders() throws Exception {
        // Orders on days −140 (twice: one purchase), −70 and −28: x = 2, t_x = 16 weeks, T = 20 weeks.
        ProfileFacts facts = ConditionTest.aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(140)), Map.of("revenue", 10))
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(140)).plusSeconds(60), Map.of("revenue", 5))
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(70)), Map.of("revenue", 30))
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(28)), Map.of("total", 50))
                .withEvent("Product Viewed", NOW.minus(Duration.ofDays(1)), Map.of("category", "Shoes")).build();
        Customer customer = new Customer(2, 16, 20, 40);

        assertThat(observe("$predicted.pAlive", facts)).isEqualTo(CDNOW.purchases().pAlive(customer));
        assertThat(observe("$predicted.churnRisk", facts)).isEqualTo(1 - CDNOW.purchases().pAlive(customer));
        assertThat(observe("$predicted.expectedOrders.P91D", facts)).isEqualTo(CDNOW.purchases().expectedPurchases(customer, 13));
        assertThat(observe("$predicted.orderProbability.P28D", facts))
                .isEqualTo(CDNOW.purchases().probabilityOfPurchase(customer, 4));
        assertThat(observe("$predicted.expectedOrderValue", facts)).isEqualTo(CDNOW.spend().expectedValue(customer));
        assertThat((double) observe("$predicted.value.P364D", facts)).isCloseTo(CustomerValue.expected(CDNOW.purchases(),
                CDNOW.spend(), customer, 52, Math.pow(1.10, 7 / 365.0) - 1), within(1e-9));
        assertThat(observe("$predicted.topCategories", facts)).isEqualTo(List.of("Shoes"));
        assertThat((double) observe("$predicted.affinity.Shoes", facts)).isCloseTo(Math.pow(2, -1 / 30.0), within(1e-12));
    }

    @Test
    void undefinedWithoutAnOrderOrWithoutModelsSoNothingMatches() throws Exception {
        ProfileFacts browser = ConditionTest.aProfile().withEvent("Product Viewed", NOW, Map.of("category", "Hats")).build();
        ProfileFacts buyer = ConditionTest.aProfile().withEvent("Order Completed", NOW.minus(Duration.ofDays(9)), Map.of()).build();
        Condition.Predicted atRisk = predicted("{\"trait\": \"$predicted.pAlive\", \"op\": \"lt\", \"value\": 2}");

        assertThat(atRisk.with(CDNOW).matches(browser, NOW)).isFalse();
        assertThat(atRisk.matches(buyer, NOW)).as("no model linked").isFalse();
        assertThat(atRisk.with(CDNOW).matches(buyer, NOW)).isTrue();
        assertThat(predicted("{\"trait\": \"$predicted.pAlive\", \"op\": \"missing\"}").with(CDNOW).matches(browser, NOW)).isTrue();
        assertThat(atRisk.explain(buyer, NOW).description()).contains("no model fitted yet");
        assertThat(atRisk.with(CDNOW).explain(buyer, NOW).description()).isEqualTo("predicted pAlive lt 2 (model v3)");
    }

    @Test
    void pAliveIsOneBeforeAnyRepeatPurchaseAndFallsBetweenPurchases() throws Exception {
        ProfileFacts once = ConditionTest.aProfile().withEvent("Order Completed", NOW.minus(Duration.ofDays(300)), Map.of()).build();
        ProfileFacts twice = ConditionTest.aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(300)), Map.of())
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(200)), Map.of()).build();
        Condition.Predicted pAlive = predicted("{\"trait\": \"$predicted.pAlive\", \"op\": \"exists\"}").with(CDNOW);

        assertThat(pAlive.observe(once, NOW.plus(Duration.ofDays(900)))).isEqualTo(1.0);
        double earlier = (double) pAlive.observe(twice, NOW);
        assertThat((double) pAlive.observe(twice, NOW.plus(Duration.ofDays(30)))).isLessThan(earlier);
        assertThat(pAlive.observe(twice, NOW.plusSeconds(3_600))).as("constant within a UTC day").isEqualTo(earlier);
    }

    @Test
    void aSlippingCustomerLeavesOnTheDayPAliveCrossesTheThreshold() throws Exception {
        ProfileFacts facts = ConditionTest.aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(120)), Map.of())
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(90)), Map.of())
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(60)), Map.of()).build();
        Condition active = link("{\"trait\": \"$predicted.pAlive\", \"op\": \"gte\", \"value\": 0.5}");

        Optional<Instant> flip = active.nextFlip(facts, NOW);

        assertThat(active.matches(facts, NOW)).isTrue();
        assertThat(flip).isPresent();
        Instant day = flip.get();
        assertThat(day).isEqualTo(LocalDate.ofInstant(day, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThat(active.matches(facts, day.minusMillis(1))).isTrue();
        assertThat(active.matches(facts, day)).isFalse();
        // An order on the way (a future timestamp) is a change too: it renews the customer before the crossing.
        ProfileFacts withOrder = ConditionTest.aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(120)), Map.of())
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(90)), Map.of())
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(60)), Map.of())
                .withEvent("Order Completed", day.minus(Duration.ofDays(2)), Map.of()).build();
        assertThat(active.matches(withOrder, day)).isTrue();
        assertThat(active.nextFlip(withOrder, NOW).orElseThrow()).isAfter(day);
    }

    @Test
    void flipsAreWhereADayByDayScanSeesThemForEveryTraitAndOperator() throws Exception {
        Random random = new Random(13);
        String[] traits = {"$predicted.pAlive", "$predicted.churnRisk", "$predicted.expectedOrders.P90D",
                "$predicted.orderProbability.P30D", "$predicted.value.P365D"};
        int flips = 0;
        for (int run = 0; run < 60; run++) {
            ConditionTest.ProfileFactsBuilder builder = ConditionTest.aProfile();
            int orders = 1 + random.nextInt(6);
            for (int i = 0; i < orders; i++) {
                builder.withEvent("Order Completed", NOW.minus(Duration.ofHours(random.nextInt(24 * 400))),
                        Map.of("revenue", 5 + random.nextInt(100)));
            }
            if (random.nextInt(4) == 0) {
                builder.withEvent("Order Completed", NOW.plus(Duration.ofHours(1 + random.nextInt(24 * 200))), Map.of("revenue", 20));
            }
            ProfileFacts facts = builder.build();
            String trait = traits[random.nextInt(traits.length)];
            Condition.Predicted probe = predicted("{\"trait\": \"" + trait + "\", \"op\": \"exists\"}").with(CDNOW);
            double now = (double) probe.observe(facts, NOW);
            double low = now * (0.3 + 0.6 * random.nextDouble());
            String op = random.nextBoolean() ? "gte" : "lt";
            String json = random.nextInt(3) == 0
                    ? "{\"trait\": \"" + trait + "\", \"op\": \"between\", \"value\": [" + low + ", " + (now * 1.5 + 1e-6) + "]}"
                    : "{\"trait\": \"" + trait + "\", \"op\": \"" + op + "\", \"value\": " + low + "}";
            Condition condition = link(json);
            Instant scanned = firstChangeByDays(condition, facts, 1_500);
            Optional<Instant> flip = condition.nextFlip(facts, NOW);
            if (scanned != null) {
                flips++;
                assertThat(flip).as(json).contains(scanned);
            } else {
                assertThat(flip.filter(t -> !t.isAfter(NOW.plus(Duration.ofDays(1_500))))).as(json).isEmpty();
            }
        }
        assertThat(flips).as("most runs cross their threshold within the scan").isGreaterThan(30);
    }

    @Test
    void anAffinityThresholdIsCrossedAtTheMillisecondItsDecayReachesIt() throws Exception {
        Instant viewed = NOW.minus(Duration.ofDays(3));
        ProfileFacts facts = ConditionTest.aProfile()
                .withEvent("Product Added", viewed, Map.of("category", "Shoes"))
                .withEvent("Order Completed", viewed.plusSeconds(600),
                        Map.of("products", List.of(Map.of("product_id", "s1", "category", "Shoes"), Map.of("product_id", "h1", "category", "Hats"))))
                .build();
        Condition fan = link("{\"trait\": \"$predicted.affinity.Shoes\", \"op\": \"gte\", \"value\": 2}");
        Condition hats = link("{\"trait\": \"$predicted.topCategories\", \"op\": \"contains\", \"value\": \"Hats\"}");

        Instant flip = fan.nextFlip(facts, NOW).orElseThrow();

        // 3·2^(−(t − viewed)/30 d) + 5·2^(−(t − viewed − 600 s)/30 d) = 2, solved in closed form:
        double weight = 3 + 5 * Math.pow(2, 600 / (30 * 86_400.0));
        Instant closedForm = viewed.plusMillis(Math.round(30 * 86_400_000.0 * Math.log(weight / 2) / Math.log(2)));
        assertThat(Duration.between(closedForm, flip).abs()).isLessThanOrEqualTo(Duration.ofMillis(1));
        assertThat(fan.matches(facts, flip.minusMillis(1))).isTrue();
        assertThat(fan.matches(facts, flip)).isFalse();
        assertThat(hats.matches(facts, NOW)).isTrue();
        assertThat(hats.nextFlip(facts, NOW)).as("decay keeps the order; only forgetting changes it")
                .contains(viewed.plusSeconds(600).plus(PredictedTrait.AFFINITY_MEMORY));
    }

    @Test
    void badPredictedTraitsNameTheirField() {
        assertThat(errors("{\"trait\": \"$predicted.pAlive\", \"op\": \"eq\", \"value\": 0.5}"))
                .containsExactly("/op: '$predicted.pAlive' is a number: compare it with gt, gte, lt, lte, between, exists or missing");
        assertThat(errors("{\"trait\": \"$predicted.expectedOrders\", \"op\": \"gt\", \"value\": 1}"))
                .containsExactly("/trait: '$predicted.expectedOrders' needs a period in whole days, e.g. '$predicted.expectedOrders.P90D'");
        assertThat(errors("{\"trait\": \"$predicted.value.PT12H\", \"op\": \"gt\", \"value\": 1}")).hasSize(1);
        assertThat(errors("{\"trait\": \"$predicted.lifetime\", \"op\": \"gt\", \"value\": 1}").get(0))
                .startsWith("/trait: unknown predicted trait 'lifetime'");
        assertThat(errors("{\"trait\": \"$predicted.pAlive\", \"op\": \"lt\", \"value\": \"low\"}"))
                .containsExactly("/value: '$predicted.pAlive' is compared with a number");
        assertThat(errors("{\"trait\": \"$predicted.topCategories\", \"op\": \"gt\", \"value\": 1}"))
                .containsExactly("/op: '$predicted.topCategories' is a list of categories: compare it with contains, exists or missing");
    }

    @Test
    void segmentsReadTheProfilesOrdersAndInteractionsAndAreBoundToTheCurrentModels() throws Exception {
        Segment slipping = segment("s1", "{\"all\": [{\"trait\": \"$predicted.pAlive\", \"op\": \"lt\", \"value\": 0.3},"
                + " {\"trait\": \"$predicted.value.P365D\", \"op\": \"gte\", \"value\": 100}]}");
        Segment shoes = segment("s2", "{\"trait\": \"$predicted.affinity.Shoes\", \"op\": \"gte\", \"value\": 1}");
        Segment plain = segment("s3", "{\"segment\": \"s1\"}");

        List<Segment> linked = SegmentGraph.link(List.of(slipping, shoes, plain), CDNOW);
        Evaluation.Inputs reads = Evaluation.inputs(List.of(slipping), NOW);

        assertThat(reads.eventNames()).containsExactly("Order Completed");
        assertThat(reads.eventsSince()).as("the models count from the first order").isEqualTo(Instant.EPOCH);
        assertThat(Evaluation.inputs(List.of(shoes), NOW).eventNames())
                .containsExactlyInAnyOrder("Product Viewed", "Product Added", "Order Completed");
        assertThat(((Condition.Predicted) ((Condition.All) linked.get(0).condition()).conditions().get(0)).models()).isEqualTo(CDNOW);
        assertThat(linked.stream().filter(s -> SegmentGraph.readsModels(s.condition())).map(Segment::id))
                .containsExactly("s1", "s3");
    }

    private static Instant firstChangeByDays(Condition condition, ProfileFacts facts, int days) {
        boolean initial = condition.matches(facts, NOW);
        for (Instant t = NOW; t.isBefore(NOW.plus(Duration.ofDays(days))); t = t.plus(Duration.ofHours(1))) {
            if (condition.matches(facts, t) != initial) {
                return t;
            }
        }
        return null;
    }

    private static Object observe(String trait, ProfileFacts facts) throws Exception {
        return predicted("{\"trait\": \"" + trait + "\", \"op\": \"exists\"}").with(CDNOW).observe(facts, NOW);
    }

    private static Condition link(String json) throws Exception {
        return SegmentGraph.link(List.of(segment("x", json)), CDNOW).get(0).condition();
    }

    private static Condition.Predicted predicted(String json) throws Exception {
        return (Condition.Predicted) LanguageTest.parse(json);
    }

    static Segment segment(String id, String json) throws Exception {
        return SegmentGraphTest.segment(id, LanguageTest.parse(json));
    }

    private static List<String> errors(String json) {
        try {
            return ConditionParser.parse(JSON.readTree(json)).errors().stream().map(e -> e.pointer() + ": " + e.message()).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
