package io.satsuma.platform.importer;

import io.satsuma.platform.ConsumerLag;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * {@code ./import.sh --dataset cdnow --file ../shared/data/CDNOW_master.txt.gz [--limit N]} replays a
 * dataset into the running platform at full speed. {@code PROFILE_URL} and {@code WRITE_KEY} come from the
 * environment ({@code . .satsuma/local.env}) or {@code --url} / {@code --write-key}. With
 * {@code --await true} it then waits until every service has processed everything (consumer lag zero on
 * {@code KAFKA_BOOTSTRAP_SERVERS}, also in local.env) and says when each caught up: the import's wall time.
 */
public final class ImportCommand {
    private ImportCommand() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String dataset = options.get("dataset");
        String file = options.get("file");
        String url = options.getOrDefault("url", System.getenv("PROFILE_URL"));
        String writeKey = options.getOrDefault("write-key", System.getenv("WRITE_KEY"));
        if (dataset == null || file == null || url == null || writeKey == null) {
            System.err.println("usage: import.sh --dataset " + String.join("|", Datasets.names())
                    + " --file PATH [--limit N] [--url PROFILE_URL] [--write-key WRITE_KEY] [--await true]");
            System.err.println("(PROFILE_URL and WRITE_KEY default to the environment: . .satsuma/local.env)");
            System.exit(2);
        }
        if (!Files.isRegularFile(Path.of(file))) {
            System.err.println("no such file: " + file);
            System.exit(2);
        }
        long t0 = System.nanoTime();
        List<Map<String, Object>> messages = Datasets.read(dataset, Path.of(file));
        int limit = Integer.parseInt(options.getOrDefault("limit", "0"));
        if (limit > 0 && messages.size() > limit) {
            messages = messages.subList(0, limit);
        }
        System.out.printf("Read %,d messages from %s (%s) in %d ms; sending to %s%n", messages.size(), file, dataset,
                (System.nanoTime() - t0) / 1_000_000, url);
        Importer.Summary summary;
        try {
            summary = new Importer(url, writeKey, 4).run(messages, System.out);
        } catch (CompletionException e) {
            if (e.getCause() instanceof ConnectException) {
                System.err.println("\ncannot reach " + url + ": is the platform running? (./run-local.sh)");
                System.exit(1);
            }
            throw e;
        }
        System.out.printf("Sent %,d events in %.1f s (%,.0f events/s); %,d rejected%n", summary.sent(),
                summary.took().toMillis() / 1000.0, summary.ratePerSecond(), summary.rejected());
        summary.errors().stream().limit(5).forEach(e -> System.out.println("  " + e));
        if (Boolean.parseBoolean(options.getOrDefault("await", "false"))) {
            awaitProcessing(options.getOrDefault("kafka", System.getenv("KAFKA_BOOTSTRAP_SERVERS")), t0);
        }
        System.out.println("Re-running the same import changes nothing: message ids are derived from the data.");
        System.exit(summary.rejected() == 0 ? 0 : 1);
    }

    /** Waits for every consumer group to catch up; prints each group's time since the import started. */
    private static void awaitProcessing(String bootstrapServers, long startNanos) throws Exception {
        if (bootstrapServers == null) {
            System.err.println("--await needs KAFKA_BOOTSTRAP_SERVERS (in .satsuma/local.env) or --kafka HOST:PORT");
            System.exit(2);
        }
        System.out.println("Waiting until every service has processed everything ...");
        long waitStart = System.nanoTime();
        try (ConsumerLag lag = new ConsumerLag(bootstrapServers)) {
            Map<String, Duration> caughtUp = lag.awaitIdle(Duration.ofHours(2));
            if (caughtUp.isEmpty()) {
                System.out.println("Not processed within 2 hours: " + lag.byGroup());
                System.exit(1);
            }
            double waited = (waitStart - startNanos) / 1e9;
            caughtUp.forEach((group, after) -> System.out.printf("  %s caught up %.1f s after the import started%n",
                    group, waited + after.toMillis() / 1000.0));
            System.out.printf("Fully processed %.1f s after the import started%n", (System.nanoTime() - startNanos) / 1e9);
        }
    }
}
