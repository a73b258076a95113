package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which segments a change re-evaluates (that this is exact is {@code IndexedEvaluationTest}'s property). */
class DependencyIndexTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private final Segment buyers = segment("buyers", "{\"event\":\"Order Completed\",\"within\":\"P30D\",\"op\":\"gte\",\"value\":1}", null, null);
    private final Segment pro = segment("pro", "{\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}", null, null);
    private final Segment city = segment("city", "{\"trait\":\"address.city\",\"op\":\"eq\",\"value\":\"Lyon\"}", null, null);
    private final Segment loyal = segment("loyal", "{\"trait\":\"$profile.orderCount\",\"op\":\"gte\",\"value\":5}", null, null);
    private final Segment proBuyers = segment("pro-buyers", "{\"all\":[{\"segment\":\"buyers\"},{\"segment\":\"pro\"}]}", null, null);
    private final Segment vip = segment("vip", "{\"trait\":\"tier\",\"op\":\"eq\",\"value\":\"vip\"}", "lifecycle", 1);
    private final Segment active = segment("active", "{\"event\":\"Page Viewed\",\"within\":\"P7D\",\"op\":\"gte\",\"value\":1}", "lifecycle", 2);
    private final Segment everyone = segment("everyone", "{\"everyone\":true}", null, null);
    private final DependencyIndex index = DependencyIndex.of(SegmentGraph.link(ExclusionGroups.apply(
            List.of(buyers, pro, city, loyal, proBuyers, vip, active, everyone))));

    @Test
    void anEventReEvaluatesTheSegmentsThatReadItAndThoseThatReferenceThem() {
        assertThat(ids(index.affectedBy(ProfileChanges.events(List.of("Order Completed")))))
                .containsExactlyInAnyOrder("buyers", "pro-buyers");
        assertThat(index.affectedBy(ProfileChanges.events(List.of("Newsletter Opened")))).isEmpty();
    }

    @Test
    void aTraitChangeReEvaluatesByTopLevelTraitAndALowerPriorityGroupMemberToo() {
        ProfileChanges tier = ProfileChanges.snapshot("ACTIVE", "ACTIVE", Map.of("tier", "gold"), Map.of("tier", "vip"),
                Map.of(), Map.of());
        assertThat(ids(index.affectedBy(tier))).containsExactlyInAnyOrder("vip", "active");
        ProfileChanges address = ProfileChanges.snapshot("ACTIVE", "ACTIVE", Map.of(), Map.of("address", Map.of("city", "Lyon")),
                Map.of("orderCount", 4), Map.of("orderCount", 4));
        assertThat(ids(index.affectedBy(address))).containsExactly("city");
        ProfileChanges orders = ProfileChanges.snapshot("ACTIVE", "ACTIVE", Map.of(), Map.of(), Map.of("orderCount", 4),
                Map.of("orderCount", 5));
        assertThat(ids(index.affectedBy(orders))).containsExactly("loyal");
    }

    @Test
    void aStatusChangeOrANewProfileIsEverything() {
        assertThat(index.affectedBy(ProfileChanges.snapshot("ACTIVE", "MERGED", Map.of(), Map.of(), Map.of(), Map.of())))
                .hasSize(8);
        assertThat(index.affectedBy(ProfileChanges.EVERYTHING)).hasSize(8);
        assertThat(ProfileChanges.snapshot("ACTIVE", "ACTIVE", Map.of("plan", "pro"), Map.of("plan", "pro"), Map.of(),
                Map.of()).isEmpty()).isTrue();
    }

    private static Set<String> ids(List<Segment> segments) {
        return Set.copyOf(segments.stream().map(Segment::id).toList());
    }

    private static Segment segment(String id, String json, String group, Integer priority) {
        try {
            return new Segment(id, "ws", id, null, null, LanguageTest.parse(json), BigDecimal.ZERO, group, priority, 1,
                    NOW, NOW);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
