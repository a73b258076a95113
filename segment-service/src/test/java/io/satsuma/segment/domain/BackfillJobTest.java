package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackfillJobTest {

    @Test
    void aWorkspaceWithoutPageBoundsIsOneSliceToTheEnd() {
        assertThat(BackfillJob.plan(List.of(), 8)).containsExactly(new BackfillJob.SlicePlan(null, List.of()));
    }

    @Test
    void fewerPagesThanSlicesGiveASlicePerPage() {
        assertThat(BackfillJob.plan(List.of("b", "d"), 8)).containsExactly(
                new BackfillJob.SlicePlan("b", List.of()),
                new BackfillJob.SlicePlan("d", List.of()),
                new BackfillJob.SlicePlan(null, List.of()));
    }

    @Test
    void pagesAreGroupedIntoEvenSlicesOfConsecutivePagesAndEveryBoundIsKeptOnce() {
        List<String> bounds = new ArrayList<>();
        for (int i = 1; i < 20; i++) {
            bounds.add(String.format("p%02d", i));
        }

        List<BackfillJob.SlicePlan> plan = BackfillJob.plan(bounds, 8);

        // 20 pages into 8 slices: 2 or 3 pages each; a slice's last id ends its last page.
        assertThat(plan).hasSize(8);
        assertThat(plan).extracting(s -> s.pageEnds().size() + 1).containsExactly(2, 3, 2, 3, 2, 3, 2, 3);
        assertThat(plan.get(0)).isEqualTo(new BackfillJob.SlicePlan("p02", List.of("p01")));
        assertThat(plan.get(7)).isEqualTo(new BackfillJob.SlicePlan(null, List.of("p18", "p19")));
        List<String> everyEnd = new ArrayList<>();
        for (BackfillJob.SlicePlan slice : plan) {
            everyEnd.addAll(slice.pageEnds());
            if (slice.lastProfileId() != null) {
                everyEnd.add(slice.lastProfileId());
            }
        }
        assertThat(everyEnd).isEqualTo(bounds);
    }
}
