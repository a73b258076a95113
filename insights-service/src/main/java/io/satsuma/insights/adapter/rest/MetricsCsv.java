package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.domain.SegmentMetrics;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** A segment's metrics as CSV: a header of the JSON field names, one row per bucket, empty cells for nulls. */
final class MetricsCsv {
    private static final RecordComponent[] COLUMNS = SegmentMetrics.BucketMetrics.class.getRecordComponents();

    private MetricsCsv() {
    }

    static String write(List<SegmentMetrics.BucketMetrics> buckets) {
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>();
        for (RecordComponent column : COLUMNS) {
            header.add(column.getName());
        }
        csv.append(String.join(",", header)).append("\r\n");
        for (SegmentMetrics.BucketMetrics bucket : buckets) {
            List<String> cells = new ArrayList<>();
            for (RecordComponent column : COLUMNS) {
                try {
                    Object value = column.getAccessor().invoke(bucket);
                    cells.add(value == null ? "" : value.toString()); // numbers and ISO dates: nothing to quote
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("unreadable record component " + column.getName(), e);
                }
            }
            csv.append(String.join(",", cells)).append("\r\n");
        }
        return csv.toString();
    }
}
