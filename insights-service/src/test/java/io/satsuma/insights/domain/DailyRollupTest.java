package io.satsuma.insights.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DailyRollupTest {
    private static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Test
    void everyDayOfTheRangeAppearsWithItsEndOfDaySize() {
        List<SegmentDay> days = DailyRollup.series(MONDAY, MONDAY.plusDays(3), 10, List.of(
                new DailyCount(MONDAY.plusDays(1), 5, 2),
                new DailyCount(MONDAY.plusDays(3), 0, 4)));

        assertThat(days).containsExactly(
                new SegmentDay(MONDAY, 0, 0, 10),
                new SegmentDay(MONDAY.plusDays(1), 5, 2, 13),
                new SegmentDay(MONDAY.plusDays(2), 0, 0, 13),
                new SegmentDay(MONDAY.plusDays(3), 0, 4, 9));
    }

    @Test
    void aRangeEndingBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> DailyRollup.series(MONDAY, MONDAY.minusDays(1), 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
