package io.satsuma.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pauses a service's unified GC log ({@code -Xlog:gc:file=...}) records while a run lasts: the log lines
 * appended between {@link #window} and {@link Window#close}. Tells how much of a latency tail stop-the-world
 * collections explain.
 */
final class GcPauses {
    /** {@code [12345678ns] GC(7) Pause Young (Allocation Failure) 120M->8M(490M) 3.456ms}. */
    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .* (\\d+(?:\\.\\d+)?)ms$");

    private GcPauses() {
    }

    static Window window(Path log) {
        return new Window(log, lines(log).size());
    }

    record Summary(int pauses, double totalMillis, double maxMillis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d pauses, %.1f ms in all, longest %.1f ms", pauses, totalMillis, maxMillis);
        }
    }

    record Window(Path log, int fromLine) {
        Summary close() {
            List<String> lines = lines(log);
            int pauses = 0;
            double total = 0;
            double max = 0;
            for (String line : lines.subList(Math.min(fromLine, lines.size()), lines.size())) {
                Matcher m = PAUSE.matcher(line.strip());
                if (m.find()) {
                    double millis = Double.parseDouble(m.group(1));
                    pauses++;
                    total += millis;
                    max = Math.max(max, millis);
                }
            }
            return new Summary(pauses, total, max);
        }
    }

    private static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
