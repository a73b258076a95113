package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pre-built library: valid definitions, and lifecycle stages that exclude each other. */
class SegmentLibraryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void everyTemplateIsAValidConditionWithDefaultsAndWithOverrides() throws Exception {
        List<ConditionError> errors = new ArrayList<>();
        for (Map<String, Integer> overrides : List.of(Map.<String, Integer>of(), Map.of("churnDays", 365, "loyalOrders", 3))) {
            Map<String, Integer> parameters = SegmentLibrary.parameters(overrides, errors);
            for (SegmentLibrary.Template t : SegmentLibrary.TEMPLATES) {
                assertThat(ConditionParser.parse(JSON.readTree(t.condition(parameters))).errors()).as(t.name()).isEmpty();
                assertThat(SegmentLibrary.describe(t, parameters)).doesNotContain("{");
            }
        }
        assertThat(errors).isEmpty();
        assertThat(SegmentLibrary.TEMPLATES).extracting(SegmentLibrary.Template::name).containsExactly("Everyone",
                "New Visitors", "Returning Visitors", "High-Value Customers", "Cart Abandoners", "Churned", "At Risk",
                "Win-back", "Loyal", "Potential Loyal", "One-time Buyers", "Repeat Buyers", "Slipping Away",
                "Likely to Buy Soon");
    }

    @Test
    void slippingAwayAndLikelyToBuySoonFollowTheModelsPredictions() throws Exception {
        Map<String, Integer> parameters = SegmentLibrary.parameters(Map.of(), new ArrayList<>());
        List<Segment> segments = new ArrayList<>();
        for (SegmentLibrary.Template t : SegmentLibrary.TEMPLATES) {
            if (t.name().equals("Slipping Away") || t.name().equals("Likely to Buy Soon")) {
                segments.add(PredictedTraitTest.segment(t.name(), t.condition(parameters)));
            }
        }
        List<Segment> linked = SegmentGraph.link(segments, PredictedTraitTest.CDNOW);
        // A big spender with weekly orders for ten weeks, then silence for a year: P(alive) has collapsed.
        ConditionTest.ProfileFactsBuilder lapsed = ConditionTest.aProfile()
                .withTrait(ProfileFacts.PROFILE_ATTRIBUTES, Map.of("totalRevenue", 900));
        ConditionTest.ProfileFactsBuilder regular = ConditionTest.aProfile()
                .withTrait(ProfileFacts.PROFILE_ATTRIBUTES, Map.of("totalRevenue", 900));
        for (int week = 0; week < 10; week++) {
            lapsed.withEvent("Order Completed", NOW.minus(Duration.ofDays(365 + 7 * week)), Map.of("revenue", 90));
            regular.withEvent("Order Completed", NOW.minus(Duration.ofDays(1 + 7 * week)), Map.of("revenue", 90));
        }

        assertThat(linked.stream().filter(s -> s.condition().matches(lapsed.build(), NOW)).map(Segment::name))
                .containsExactly("Slipping Away");
        assertThat(linked.stream().filter(s -> s.condition().matches(regular.build(), NOW)).map(Segment::name))
                .containsExactly("Likely to Buy Soon");
    }

    @Test
    void unknownOrNonPositiveParametersAreRefused() {
        List<ConditionError> errors = new ArrayList<>();
        SegmentLibrary.parameters(Map.of("churnDayz", 3, "atRiskDays", 0), errors);

        assertThat(errors).extracting(ConditionError::pointer)
                .containsExactlyInAnyOrder("/parameters/churnDayz", "/parameters/atRiskDays");
    }

    @Test
    void aCustomerIsInExactlyTheLifecycleStageOfHighestPriorityThatMatches() throws Exception {
        List<Segment> lifecycle = library();

        assertThat(stages(lifecycle, orders(200))).containsExactly("Churned");
        assertThat(stages(lifecycle, orders(100))).containsExactly("At Risk");
        assertThat(stages(lifecycle, orders(300, 5))).containsExactly("Win-back");
        assertThat(stages(lifecycle, orders(40, 30, 20, 10, 5, 1))).containsExactly("Loyal");
        assertThat(stages(lifecycle, orders(40, 10))).containsExactly("Potential Loyal");
        assertThat(stages(lifecycle, orders(10))).containsExactly("One-time Buyers");
        assertThat(stages(lifecycle, orders(60, 400))).containsExactly("Repeat Buyers");
        assertThat(stages(lifecycle, orders())).isEmpty();
    }

    /** At a past instant a customer is in the stage their orders up to it give (point in time, for journeys). */
    @Test
    void aCustomersStageAtAPastInstantFollowsTheirOrdersUpToIt() throws Exception {
        List<Segment> lifecycle = library();
        ProfileFacts now = orders(150, 200, 500);   // the snapshot's orderCount (3) is what holds now
        Instant then = NOW.minus(Duration.ofDays(140));

        assertThat(stages(lifecycle, now)).containsExactly("At Risk");
        assertThat(lifecycle.stream().filter(s -> s.condition().matches(PointInTime.at(now, then), then))
                .map(Segment::name).toList()).containsExactly("Potential Loyal");
        assertThat(lifecycle.stream().filter(s -> s.condition().matches(PointInTime.at(now, NOW.minus(Duration.ofDays(300))),
                NOW.minus(Duration.ofDays(300)))).map(Segment::name).toList()).containsExactly("Churned"); // one order, 200 days before
        assertThat(PointInTime.at(now, NOW.minus(Duration.ofDays(600))).traits().get(ProfileFacts.PROFILE_ATTRIBUTES))
                .isEqualTo(Map.of("orderCount", 0L, "totalRevenue", BigDecimal.ZERO));
    }

    /** Every buyer has exactly one stage, whatever their order history (the stages cover every buyer). */
    @Test
    void everyBuyerIsInExactlyOneLifecycleStage() throws Exception {
        List<Segment> lifecycle = library();
        Random random = new Random(12);
        for (int i = 0; i < 2_000; i++) {
            int[] daysAgo = new int[1 + random.nextInt(7)];
            for (int j = 0; j < daysAgo.length; j++) {
                daysAgo[j] = random.nextInt(random.nextBoolean() ? 120 : 800);
            }
            assertThat(stages(lifecycle, orders(daysAgo))).as("orders %s days ago", Arrays.toString(daysAgo)).hasSize(1);
        }
    }

    @Test
    void aLoyalCustomerSlidesToAtRiskOnTheDayTheirLastOrderIs90DaysOld() throws Exception {
        List<Segment> lifecycle = library();
        ProfileFacts facts = orders(40, 30, 20, 10, 5);
        Segment atRisk = lifecycle.stream().filter(s -> s.name().equals("At Risk")).findFirst().orElseThrow();

        assertThat(atRisk.condition().nextFlip(facts, NOW)).contains(NOW.minus(Duration.ofDays(5)).plus(Duration.ofDays(90)));
    }

    private static List<Segment> library() throws Exception {
        Map<String, Integer> parameters = SegmentLibrary.parameters(Map.of(), new ArrayList<>());
        List<Segment> segments = new ArrayList<>();
        for (SegmentLibrary.Template t : SegmentLibrary.TEMPLATES) {
            if (SegmentLibrary.LIFECYCLE.equals(t.exclusionGroup())) {
                var json = JSON.readTree(t.condition(parameters));
                segments.add(new Segment(t.name(), "ws", t.name(), null, json, ConditionParser.parse(json).condition(),
                        BigDecimal.ZERO, t.exclusionGroup(), t.priority(), 1, NOW, NOW));
            }
        }
        return SegmentGraph.link(ExclusionGroups.apply(segments));
    }

    private static List<String> stages(List<Segment> lifecycle, ProfileFacts facts) {
        return lifecycle.stream().filter(s -> s.condition().matches(facts, NOW)).map(Segment::name).toList();
    }

    /** A customer with one order each that many days ago. */
    private static ProfileFacts orders(int... daysAgo) {
        ConditionTest.ProfileFactsBuilder builder = ConditionTest.aProfile()
                .withTrait(ProfileFacts.PROFILE_ATTRIBUTES, Map.of("orderCount", daysAgo.length));
        for (int days : daysAgo) {
            builder.withEvent("Order Completed", NOW.minus(Duration.ofDays(days)), Map.of("revenue", 10));
        }
        return builder.build();
    }
}
