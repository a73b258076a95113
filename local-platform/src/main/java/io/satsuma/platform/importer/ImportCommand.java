package io.satsuma.platform.importer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ./import.sh --dataset cdnow --file ../shared/data/CDNOW_master.txt.gz [--limit N]} replays a
 * dataset into the running platform at full speed. {@code PROFILE_URL} and {@code WRITE_KEY} come from the
 * environment ({@code . .satsuma/local.env}) or {@code --url} / {@code --write-key}.
 */
public final class ImportCommand {
    private ImportCommand() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String dataset = options.get("dataset");
        String file = options.get("file");
        String url = options.getOrDefault("url", System.getenv("PROFILE_URL"));
        String writeKey = options.getOrDefault("write-key", System.getenv("WRITE_KEY"));
        if (dataset == null || file == null || url == null || writeKey == null) {
            System.err.println("usage: import.sh --dataset " + String.join("|", Datasets.names())
                    + " --file PATH [--limit N] [--url PROFILE_URL] [--write-key WRITE_KEY]");
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
        Importer.Summary summary = new Importer(url, writeKey, 4).run(messages, System.out);
        System.out.printf("Sent %,d events in %.1f s (%,.0f events/s); %,d rejected%n", summary.sent(),
                summary.took().toMillis() / 1000.0, summary.ratePerSecond(), summary.rejected());
        summary.errors().stream().limit(5).forEach(e -> System.out.println("  " + e));
        System.out.println("Re-running the same import changes nothing: message ids are derived from the data.");
        System.exit(summary.rejected() == 0 ? 0 : 1);
    }
}
