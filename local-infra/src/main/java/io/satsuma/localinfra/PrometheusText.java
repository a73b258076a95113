package io.satsuma.localinfra;

import java.util.List;

/**
 * Reads a series out of a service's {@code /q/metrics} (Prometheus text or OpenMetrics, exemplars included): what
 * tests check metrics with.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** The sum of the series named {@code name} whose labels include every {@code labels} pair (0 when none). */
    public static double sum(String metrics, String name, String... labels) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            // An OpenMetrics sample may end in an exemplar (" # {trace_id=...} 1.0 1796485347.632") once traces are on.
            String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
            String rest;
            if (sample.startsWith(name + "{")) {
                if (!List.of(labels).stream().allMatch(sample.substring(0, sample.lastIndexOf('}') + 1)::contains)) {
                    continue;
                }
                rest = sample.substring(sample.lastIndexOf('}') + 1);
            } else if (sample.startsWith(name + " ") && labels.length == 0) {
                rest = sample.substring(name.length());
            } else {
                continue;
            }
            sum += Double.parseDouble(rest.trim().split("\\s+")[0]);
        }
        return sum;
    }

    /** A label pair as it appears in the text: {@code name="value"}. */
    public static String label(String name, String value) {
        return name + "=\"" + value + "\"";
    }
}
