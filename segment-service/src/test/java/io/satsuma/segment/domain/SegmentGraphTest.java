package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SegmentGraphTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void referencesAreLinkedToTheConditionsTheyNameAndDependenciesComeFirst() {
        Segment gold = segment("gold", new Condition.TraitComparison("plan", Operator.EQ, "gold"));
        Segment frenchGold = segment("french-gold", new Condition.All(List.of(
                new Condition.SegmentReference("gold", null),
                new Condition.TraitComparison("country", Operator.EQ, "FR"))));

        List<Segment> linked = SegmentGraph.link(List.of(frenchGold, gold));

        assertThat(linked).extracting(Segment::id).containsExactly("gold", "french-gold");
        ProfileFacts ann = ConditionTest.aProfile().withTrait("plan", "gold").withTrait("country", "FR").build();
        ProfileFacts bob = ConditionTest.aProfile().withTrait("plan", "free").withTrait("country", "FR").build();
        assertThat(linked.get(1).condition().matches(ann, NOW)).isTrue();
        assertThat(linked.get(1).condition().matches(bob, NOW)).isFalse();
    }

    @Test
    void cyclesAreFoundWithTheirPath() {
        Map<String, Set<String>> others = Map.of("b", Set.of("c"), "c", Set.of("a"), "d", Set.of());

        assertThat(SegmentGraph.cycle("a", Set.of("b"), others)).contains(List.of("a", "b", "c", "a"));
        assertThat(SegmentGraph.cycle("a", Set.of("d"), others)).isEmpty();
        assertThat(SegmentGraph.cycle("a", Set.of("a"), others)).contains(List.of("a", "a"));
    }

    @Test
    void anUnresolvableReferenceNeverHolds() {
        Segment orphan = segment("orphan", new Condition.SegmentReference("gone", null));

        assertThat(SegmentGraph.link(List.of(orphan)).get(0).condition().matches(ConditionTest.aProfile().build(), NOW))
                .isFalse();
    }

    @Test
    void aChangedSegmentAffectsItsDependentsTransitivelyAndItsExclusionGroup() {
        Condition plan = new Condition.TraitComparison("plan", Operator.EQ, "gold");
        Segment gold = segment("gold", plan);
        Segment frenchGold = segment("french-gold", new Condition.SegmentReference("gold", null));
        Segment parisGold = segment("paris-gold", new Condition.SegmentReference("french-gold", null));
        Segment loyal = grouped("loyal", new Condition.SegmentReference("paris-gold", null), 1);
        Segment atRisk = grouped("at-risk", plan, 2);
        Segment unrelated = segment("unrelated", plan);
        List<Segment> all = SegmentGraph.link(ExclusionGroups.apply(List.of(gold, frenchGold, parisGold, loyal, atRisk, unrelated)));

        assertThat(SegmentGraph.affectedBy("gold", all)).extracting(Segment::id)
                .containsExactlyInAnyOrder("gold", "french-gold", "paris-gold", "loyal", "at-risk");
        assertThat(SegmentGraph.affectedBy("at-risk", all)).extracting(Segment::id)
                .containsExactlyInAnyOrder("at-risk", "loyal");
        assertThat(SegmentGraph.affectedBy("unrelated", all)).extracting(Segment::id).containsExactly("unrelated");
        assertThat(SegmentGraph.affectedBy("deleted", all)).isEmpty();
    }

    private static Segment grouped(String id, Condition condition, int priority) {
        return new Segment(id, "ws", id, null, null, condition, BigDecimal.ZERO, "lifecycle", priority, 1, NOW, NOW);
    }

    static Segment segment(String id, Condition condition) {
        return new Segment(id, "ws", id, null, null, condition, BigDecimal.ZERO, null, null, 1, NOW, NOW);
    }
}
