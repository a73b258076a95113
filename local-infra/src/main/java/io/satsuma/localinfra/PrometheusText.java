package io.satsuma.localinfra;

import java.util.List;

/** Reads a series out of a service's {@code /q/metrics} (Prometheus text format): what tests check metrics with. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** The sum of the series named {@code name} whose labels include every {@code labels} pair (0 when none). */
    public static double sum(String metrics, String name, String... labels) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && List.of(labels).stream().allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** A label pair as it appears in the text: {@code name="value"}. */
    public static String label(String name, String value) {
        return name + "=\"" + value + "\"";
    }
}
