package io.satsuma.insights.domain;

import java.time.LocalDate;

/** One day of a segment's rollup: who came, who left, and how many members it had at the end of the day. */
public record SegmentDay(LocalDate day, long entries, long exits, long size) {
}
