package io.satsuma.insights.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the day-by-day series of a segment over a date range: every day of the range appears
 * (zero counts included) and the size is the end-of-day member count, starting from the size the
 * segment had before the range.
 */
public final class DailyRollup {
    private DailyRollup() {
    }

    /**
     * @param sizeBefore entries − exits of all days before {@code from}
     * @param counts     the days of the range that had any change
     */
    public static List<SegmentDay> series(LocalDate from, LocalDate to, long sizeBefore, List<DailyCount> counts) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("'to' must not be before 'from'");
        }
        Map<LocalDate, DailyCount> byDay = counts.stream().collect(Collectors.toMap(DailyCount::day, Function.identity()));
        List<SegmentDay> days = new ArrayList<>();
        long size = sizeBefore;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            DailyCount count = byDay.getOrDefault(day, new DailyCount(day, 0, 0));
            size += count.entries() - count.exits();
            days.add(new SegmentDay(day, count.entries(), count.exits(), size));
        }
        return days;
    }
}
