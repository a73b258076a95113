package io.satsuma.insights.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/** How a range of UTC days is cut into buckets: days, ISO weeks (Monday first) or calendar months. */
public enum Bucketing {
    DAY, WEEK, MONTH;

    /** A bucket: its first day and the first day after it. */
    public record Bucket(LocalDate start, LocalDate end) {
    }

    /** The buckets that hold the days {@code from..to} (inclusive); the first and last may reach beyond them. */
    public List<Bucket> cut(LocalDate from, LocalDate to) {
        List<Bucket> buckets = new ArrayList<>();
        for (LocalDate start = startOf(from); !start.isAfter(to); start = next(start)) {
            buckets.add(new Bucket(start, next(start)));
        }
        return buckets;
    }

    private LocalDate startOf(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    private LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }
}
