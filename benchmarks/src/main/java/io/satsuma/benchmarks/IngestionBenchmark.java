package io.satsuma.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.Topic;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.LocalInfrastructure;
import io.satsuma.platform.ServiceProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * REST batch ingestion into durable Kafka: the packaged profile-service (its own consumer switched off,
 * so that only the ingestion path runs) takes {@code POST /v1/batch} of 500 Segment-spec track events
 * from 8 concurrent clients; an event counts once the API answered 200, which it does only after Kafka
 * acknowledged every event of the batch ({@code acks=all}). Baseline, same broker, same run: Kafka's own
 * producer perf test ({@code ProducerPerformance}) with records of the same size, {@code acks=all}.
 *
 * <p>With {@code e2e}: the service's consumer runs, and the benchmark measures event → identity resolution →
 * aggregates → snapshot and profile event published (one outbox transaction), events/s and latency, by
 * reading {@code satsuma.profile-events.v1} back.
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.IngestionBenchmark <project root> [e2e]}
 */
public final class IngestionBenchmark {
    private static final int EVENTS = 200_000;
    private static final int WARM_UP = 40_000;
    private static final int BATCH = 500;
    private static final int CLIENTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private IngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        boolean endToEnd = args.length > 1 && args[1].equals("e2e");
        Path work = root.resolve("benchmarks/target/ingestion");
        try (LocalInfrastructure infra = LocalInfrastructure.start(work.resolve("infra"), System.getenv(), 0);
             ServiceProcess service = ServiceProcess.start("profile-service",
                     root.resolve("profile-service/target/quarkus-app/quarkus-run.jar"), FreePorts.next(),
                     infra.serviceEnvironment("profile"), work.resolve("profile-service.log"),
                     serviceJvm(work, endToEnd))) {
            service.awaitReady(Duration.ofSeconds(180));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String token = DevTokens.mint(infra.oidc().issuer(), "bench", "admin");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(service.url() + "/v1/sources"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}")).build(), HttpResponse.BodyHandlers.ofString());
            String writeKey = JSON.readTree(created.body()).get("writeKey").asText();
            String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));

            if (endToEnd) {
                endToEnd(http, service.url(), auth, infra.kafka().bootstrapServers());
                return;
            }
            List<String> warmUp = batches(WARM_UP);
            List<String> measured = batches(EVENTS);
            int eventBytes = measured.get(0).length() / BATCH;
            send(http, service.url(), auth, warmUp);
            long t0 = System.nanoTime();
            List<Long> latencies = send(http, service.url(), auth, measured);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long inKafka = endOffsets(infra.kafka().bootstrapServers(), Topic.EVENTS.topicName());
            Collections.sort(latencies);
            System.out.printf("REST batch ingestion: %,d events in %,d batches of %d from %d clients in %.2f s = %,.0f events/s; "
                            + "batch latency p50 %d ms, p99 %d ms; %,d events in Kafka (expected %,d); ~%d bytes per event%n",
                    EVENTS, measured.size(), BATCH, CLIENTS, seconds, EVENTS / seconds, latencies.get(latencies.size() / 2),
                    latencies.get(latencies.size() * 99 / 100), inKafka, EVENTS + WARM_UP, eventBytes);
            if (inKafka != EVENTS + WARM_UP) {
                throw new IllegalStateException("Kafka holds " + inKafka + " events, expected " + (EVENTS + WARM_UP));
            }
            producerPerfTest(infra.kafka().bootstrapServers(), eventBytes, EVENTS);
        }
    }

    private static final int E2E_EVENTS = 100_000;

    /**
     * The service's JVM options; {@code SATSUMA_BENCH_SERVICE_JVM} adds more (space-separated), e.g. a flight
     * recording: {@code -XX:StartFlightRecording=filename=/tmp/profile-service.jfr,settings=profile}.
     */
    private static List<String> serviceJvm(Path work, boolean endToEnd) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + work.resolve("tmp"),
                "-Dmp.messaging.incoming.events-in.enabled=" + endToEnd,
                // One write key sends everything here: its rate limit (10,000 messages/s by default) is lifted.
                "-Dsatsuma.ingestion.rate.per-second=10000000", "-Dsatsuma.ingestion.rate.burst=10000000"));
        String extra = System.getenv("SATSUMA_BENCH_SERVICE_JVM");
        if (extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        return jvm;
    }
    private static final int PACED_SECONDS = 30;
    private static final int PACED_BATCH = 100;

    /**
     * Throughput: sends {@link #E2E_EVENTS} events as fast as the API takes them, then reads every profile
     * event back: its Kafka timestamp is when the outbox published it, after its transaction committed.
     * Latency: then sends at half that rate for {@link #PACED_SECONDS} s (a batch of {@link #PACED_BATCH}
     * at a time, as a server-side SDK flushing would; the rate actually achieved is printed too) and measures, per event, from the API's answer (durable in Kafka) to
     * its profile event published.
     */
    private static void endToEnd(HttpClient http, String url, String auth, String bootstrap) throws Exception {
        List<String> bodies = batches(E2E_EVENTS);
        long sendStart = System.currentTimeMillis();
        send(http, url, auth, bodies);
        long accepted = System.currentTimeMillis();
        Map<String, Long> published = readProfileEvents(bootstrap, E2E_EVENTS, Map.of());
        long last = published.values().stream().mapToLong(Long::longValue).max().orElse(sendStart);
        double seconds = (last - sendStart) / 1000.0;
        double rate = published.size() / seconds;
        System.out.printf("end to end (event → resolution → aggregates → snapshot and profile event published): %,d of %,d "
                        + "events in %.1f s = %,.0f events/s (the API had accepted them all after %.1f s)%n",
                published.size(), E2E_EVENTS, seconds, rate, (accepted - sendStart) / 1000.0);

        double pacedRate = Math.max(PACED_BATCH, rate / 2);
        long intervalNanos = (long) (PACED_BATCH / pacedRate * 1e9);
        Map<String, Long> acceptedAt = new HashMap<>();
        long start = System.nanoTime();
        for (int i = 0; System.nanoTime() - start < PACED_SECONDS * 1_000_000_000L; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            List<String> ids = new ArrayList<>();
            String body = batch(PACED_BATCH, 1_000_000 + i * PACED_BATCH, ids);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
            long now = System.currentTimeMillis();
            ids.forEach(id -> acceptedAt.put(id, now));
        }
        Map<String, Long> pacedPublished = readProfileEvents(bootstrap, acceptedAt.size(), acceptedAt);
        long[] latencies = pacedPublished.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - acceptedAt.get(e.getKey()))).sorted().toArray();
        System.out.printf("end to end latency at %,.0f events/s (target %,.0f) for %d s (API answer → profile event published), "
                        + "%,d events: p50 %d ms, p99 %d ms, max %d ms%n", acceptedAt.size() / (double) PACED_SECONDS, pacedRate,
                PACED_SECONDS, latencies.length,
                percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.length == 0 ? 0 : latencies[latencies.length - 1]);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * Reads satsuma.profile-events.v1 from the start until {@code expected} events (of {@code only}, if not
     * empty) were seen: event id → when it was published (the record's timestamp).
     */
    private static Map<String, Long> readProfileEvents(String bootstrap, int expected, Map<String, Long> only)
            throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", "bench-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName());
        Map<String, Long> seen = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Topic.PROFILE_EVENTS.topicName()));
            long deadline = System.currentTimeMillis() + 900_000;
            while (seen.size() < expected && System.currentTimeMillis() < deadline) {
                for (var record : consumer.poll(Duration.ofSeconds(1))) {
                    String id = JSON.readTree(record.value()).get("eventId").asText();
                    if (only.isEmpty() || only.containsKey(id)) {
                        seen.putIfAbsent(id, record.timestamp());
                    }
                }
            }
        }
        return seen;
    }

    /** One batch body of {@code size} track events for users from {@code first}; their message ids go to {@code ids}. */
    private static String batch(int size, int first, List<String> ids) throws Exception {
        Instant now = Instant.now();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = first; i < first + size; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            batch.add(Map.of("type", "track", "event", "Product Viewed", "userId", "user-" + (i % 50_000),
                    "messageId", id, "timestamp", now.toString(),
                    "properties", Map.of("sku", "SKU-" + (i % 4_000), "price", 12.5 + i % 50, "category", "Home")));
        }
        return JSON.writeValueAsString(Map.of("batch", batch));
    }

    /** Batches of distinct track events (unique messageIds), pre-serialised so that only sending is timed. */
    private static List<String> batches(int events) throws Exception {
        List<String> bodies = new ArrayList<>();
        Instant now = Instant.now();
        for (int start = 0; start < events; start += BATCH) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(events, start + BATCH); i++) {
                batch.add(Map.of("type", "track", "event", "Product Viewed", "userId", "user-" + (i % 50_000),
                        "messageId", UUID.randomUUID().toString(), "timestamp", now.minusSeconds(i % 3_600).toString(),
                        "properties", Map.of("sku", "SKU-" + (i % 4_000), "price", 12.5 + i % 50, "category", "Home")));
            }
            bodies.add(JSON.writeValueAsString(Map.of("batch", batch)));
        }
        return bodies;
    }

    /** Posts every batch from {@link #CLIENTS} threads; returns each batch's latency (ms). */
    static List<Long> send(HttpClient http, String url, String auth, List<String> bodies) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            results.add(clients.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                            .header("Authorization", auth).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                    }
                    latencies.add((System.nanoTime() - t0) / 1_000_000);
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get());
        }
        clients.shutdown();
        return all;
    }

    private static long endOffsets(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    /** Kafka's producer perf test against the same broker, in its own JVM, as its own script would run it. */
    static void producerPerfTest(String bootstrap, int recordSize, int records) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("bench.producer-perf", Topic.EVENTS.partitions(), (short) 1))).all().get();
        }
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "bench.producer-perf", "--num-records", Integer.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "linger.ms=5", "enable.idempotence=true");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.contains("records sent")) {
                    last = line;
                }
            }
        }
        process.waitFor();
        System.out.println("baseline, Kafka's ProducerPerformance (acks=all, linger.ms=5, " + recordSize + "-byte records): " + last);
    }
}
