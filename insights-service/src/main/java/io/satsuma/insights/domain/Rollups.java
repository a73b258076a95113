package io.satsuma.insights.domain;

import java.time.LocalDate;
import java.util.List;

/** Stored daily counts. */
public interface Rollups {
    void count(String workspace, String segmentId, LocalDate day, long entries, long exits);

    long netBefore(String workspace, String segmentId, LocalDate day);

    List<DailyCount> between(String workspace, String segmentId, LocalDate from, LocalDate to);
}
