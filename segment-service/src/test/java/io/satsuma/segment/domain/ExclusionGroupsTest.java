package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExclusionGroupsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void onlyTheMatchingSegmentOfHighestPriorityHoldsAndUngroupedOnesAreUntouched() {
        Condition vip = new Condition.TraitComparison("vip", Operator.EQ, true);
        Condition spender = new Condition.TraitComparison("spend", Operator.GT, 100);
        List<Segment> segments = ExclusionGroups.apply(List.of(
                segment("spender", spender, "tier", 2), segment("vip", vip, "tier", 1), segment("also-vip", vip, null, null)));
        ProfileFacts both = ConditionTest.aProfile().withTrait("vip", true).withTrait("spend", 500).build();
        ProfileFacts spenderOnly = ConditionTest.aProfile().withTrait("vip", false).withTrait("spend", 500).build();

        assertThat(segments.stream().filter(s -> s.condition().matches(both, NOW)).map(Segment::id))
                .containsExactlyInAnyOrder("vip", "also-vip");
        assertThat(segments.stream().filter(s -> s.condition().matches(spenderOnly, NOW)).map(Segment::id))
                .containsExactly("spender");
    }

    private static Segment segment(String id, Condition condition, String group, Integer priority) {
        return new Segment(id, "ws", id, null, null, condition, BigDecimal.ZERO, group, priority, 1, NOW, NOW);
    }
}
