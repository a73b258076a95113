package io.satsuma.platform.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays messages into a running profile-service through {@code /v1/batch}: batches of 100 with a few
 * requests in flight, a progress line (count, rate, ETA) and a summary.
 */
public final class Importer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;

    private final String profileUrl;
    private final String writeKey;
    private final int inFlight;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Importer(String profileUrl, String writeKey, int inFlight) {
        this.profileUrl = profileUrl;
        this.writeKey = writeKey;
        this.inFlight = inFlight;
    }

    /** The outcome of an import. */
    public record Summary(long sent, long rejected, List<String> errors, Duration took) {
        public double ratePerSecond() {
            return sent / Math.max(took.toMillis() / 1000.0, 0.001);
        }
    }

    public Summary run(List<Map<String, Object>> messages, PrintStream progress) throws InterruptedException {
        long started = System.nanoTime();
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong sent = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger lastReport = new AtomicInteger();
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += BATCH) {
            List<Map<String, Object>> batch = messages.subList(from, Math.min(from + BATCH, messages.size()));
            slots.acquire();
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(profileUrl + "/v1/batch")).timeout(Duration.ofSeconds(60))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("batch", batch)))).build();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                slots.release();
                if (error == null && response.statusCode() == 200) {
                    sent.addAndGet(batch.size());
                } else {
                    rejected.addAndGet(batch.size());
                    errors.add(error != null ? error.getMessage() : response.statusCode() + " " + response.body());
                }
                int seconds = (int) ((System.nanoTime() - started) / 500_000_000L);
                if (seconds != lastReport.getAndSet(seconds)) {
                    report(progress, sent.get() + rejected.get(), messages.size(), started);
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        report(progress, sent.get() + rejected.get(), messages.size(), started);
        progress.println();
        return new Summary(sent.get(), rejected.get(), List.copyOf(errors), Duration.ofNanos(System.nanoTime() - started));
    }

    private static void report(PrintStream out, long done, long total, long startedNanos) {
        double seconds = Math.max((System.nanoTime() - startedNanos) / 1e9, 0.001);
        double rate = done / seconds;
        long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        out.printf("\r  [%s%s] %,d / %,d events  %,.0f/s  ETA %s   ", "#".repeat(filled), " ".repeat(width - filled),
                done, total, rate, eta < 0 ? "?" : eta + " s");
        out.flush();
    }
}
