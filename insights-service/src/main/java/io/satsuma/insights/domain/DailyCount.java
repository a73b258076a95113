package io.satsuma.insights.domain;

import java.time.LocalDate;

/** Entries and exits of a segment on one UTC day. */
public record DailyCount(LocalDate day, long entries, long exits) {
}
