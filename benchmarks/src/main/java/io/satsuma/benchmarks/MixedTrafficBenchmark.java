package io.satsuma.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.platform.ConsumerLag;
import io.satsuma.platform.Platform;
import io.satsuma.platform.SatsumaHttp;
import io.satsuma.segment.adapter.cache.CacheKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Realistic traffic through the whole platform (issue 11, ARCHITECTURE.md §9): the four packaged services on
 * one machine, the pre-built segment library plus 30 more segments of every condition kind, and streams of
 * Segment-spec messages sent to {@code POST /v1/batch} by 8 clients in batches of 500.
 * <ol>
 *   <li>identify of 5,000 new people (userId, anonymousId, email, traits);</li>
 *   <li>identify alone: 10,000 messages, half new people, half known people changing traits, one in ten of
 *       those linking an anonymous visitor's profile (a merge);</li>
 *   <li>the mixed stream: 60,000 messages, 10 % identify (as above), 5 % page, 85 % track over 20 event
 *       names, by known people and anonymous visitors;</li>
 *   <li>latency at half the mixed rate for 30 s: in every batch of 100 one new visitor's order, timed from the
 *       API's answer to the membership visible in Redis (the identifier resolving to a profile whose cached
 *       segments include "Ordered today"), polled with pipelined GETs every 2 ms.</li>
 * </ol>
 * Each throughput counts from the first batch sent to every consumer group of the four services caught up
 * (lag read every 0.5 s). Baselines in the same run: Kafka's producer perf test on the same broker with
 * records of the stream's mean size, and a SET/GET loop on the same Redis from 8 connections.
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.MixedTrafficBenchmark <project root>}
 */
public final class MixedTrafficBenchmark {
    private static final String WORKSPACE = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;
    private static final int PEOPLE = 5_000;
    private static final int VISITORS = 3_000;
    private static final int IDENTIFY_ONLY = 10_000;
    private static final int MIXED = 60_000;
    private static final int PACED_SECONDS = 30;
    private static final int PACED_BATCH = 100;
    private static final String[] EVENTS = {"Product Viewed", "Product List Viewed", "Product Added", "Cart Viewed",
            "Checkout Started", "Order Completed", "Products Searched", "Product Clicked", "Promotion Viewed",
            "Promotion Clicked", "Product Removed", "Coupon Applied", "Wishlist Product Added", "Product Reviewed",
            "Product Shared", "Payment Info Entered", "Order Refunded", "Email Opened", "Email Link Clicked",
            "Signed In"};
    private static final String PROBE_SEGMENT = "Ordered today";

    private final Random random = new Random(42);
    private int people;
    private int nextVisitor;
    /** Visitors who have sent events under their anonymousId and were not linked to a person yet. */
    private final List<Integer> unlinkedVisitors = new ArrayList<>();
    private final Set<Integer> seenVisitors = new HashSet<>();

    private MixedTrafficBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path work = root.resolve("benchmarks/target/mixed");
        Map<String, Integer> ports = new LinkedHashMap<>();
        Platform.ORDER.forEach(name -> ports.put(name, 0));
        Platform platform = Platform.start(root, work, ports, 0, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "stop-platform")); // also on Ctrl-C
        int status = 0;
        try {
            new MixedTrafficBenchmark().run(platform);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private void run(Platform platform) throws Exception {
        String token = platform.infrastructure().oidc().mint("bench", WORKSPACE, List.of("admin"), Duration.ofHours(2));
        SatsumaHttp http = new SatsumaHttp();
        String profileUrl = platform.url("profile-service");
        String segmentUrl = platform.url("segment-service");
        String writeKey = http.create(profileUrl + "/v1/sources", token, Map.of("name", "bench")).path("writeKey").asText();
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        int library = http.create(segmentUrl + "/v1/library/install", token, Map.of()).path("created").size();
        Map<String, String> definitions = segments();
        Map<String, String> ids = new LinkedHashMap<>();
        for (Map.Entry<String, String> segment : definitions.entrySet()) {
            String condition = segment.getValue();
            for (Map.Entry<String, String> earlier : ids.entrySet()) {
                condition = condition.replace("@" + earlier.getKey(), earlier.getValue());
            }
            Map<String, Object> definition = new LinkedHashMap<>(Map.of("name", segment.getKey(),
                    "condition", JSON.readTree(condition)));
            if (LIFECYCLE.containsKey(segment.getKey())) {
                definition.put("exclusionGroup", "lifecycle");
                definition.put("groupPriority", LIFECYCLE.get(segment.getKey()));
            }
            ids.put(segment.getKey(), http.create(segmentUrl + "/v1/segments", token, definition).path("id").asText());
        }
        String probeSegment = ids.get(PROBE_SEGMENT);
        System.out.printf("workspace %s: %d library segments + %d more installed%n", WORKSPACE, library, definitions.size());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String url = profileUrl;
        String bootstrap = platform.kafkaBootstrapServers();

        List<Map<String, Object>> newPeople = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            newPeople.add(newPerson());
        }
        measure("identify, new people", client, url, auth, bootstrap, newPeople);

        List<Map<String, Object>> visits = new ArrayList<>();
        for (int i = 0; i < VISITORS; i++) {
            visits.add(track(visitor(nextVisitor++)));
        }
        measure("(warm-up) anonymous visitors' first events", client, url, auth, bootstrap, visits);

        List<Map<String, Object>> identifies = new ArrayList<>();
        for (int i = 0; i < IDENTIFY_ONLY; i++) {
            identifies.add(identify());
        }
        measure("identify alone (half new, half known, 1 in 10 of those merging a visitor)", client, url, auth,
                bootstrap, identifies);

        List<Map<String, Object>> mixed = new ArrayList<>();
        for (int i = 0; i < MIXED; i++) {
            mixed.add(mixedMessage());
        }
        double rate = measure("mixed: 10 % identify, 5 % page, 85 % track over 20 event names", client, url, auth,
                bootstrap, mixed);
        int meanBytes = JSON.writeValueAsString(mixed).length() / mixed.size();

        // The watcher reads the cache's keys directly, under the epoch segment-service uses (ADR 017).
        long epoch = http.get(segmentUrl + "/q/health/ready", null).json().path("checks").findParent("epoch").path("epoch").asLong();
        pacedWithProbes(client, url, auth, platform.infrastructure().redis().url(), epoch, probeSegment, rate / 2);

        IngestionBenchmark.producerPerfTest(bootstrap, meanBytes, 200_000);
        redisBaseline(platform.infrastructure().redis().url());
    }

    /** Sends the messages as fast as the API takes them and waits until every consumer group caught up. */
    private static double measure(String name, HttpClient client, String url, String auth, String bootstrap,
                                  List<Map<String, Object>> messages) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += BATCH) {
            bodies.add(JSON.writeValueAsString(Map.of("batch", messages.subList(from, Math.min(messages.size(), from + BATCH)))));
        }
        long start = System.nanoTime();
        IngestionBenchmark.send(client, url, auth, bodies);
        double accepted = (System.nanoTime() - start) / 1e9;
        Map<String, Duration> caughtUp;
        try (ConsumerLag lag = new ConsumerLag(bootstrap)) {
            caughtUp = lag.awaitIdle(Duration.ofMinutes(15));
        }
        // From the first batch sent to the last group caught up (awaitIdle's clock starts after the last answer).
        double processed = accepted + caughtUp.values().stream().mapToDouble(d -> d.toMillis() / 1000.0).max()
                .orElseThrow(() -> new IllegalStateException(name + ": not processed within 15 minutes"));
        System.out.printf("%s: %,d messages accepted in %.1f s, fully processed after %.1f s = %,.0f messages/s%n",
                name, messages.size(), accepted, processed, messages.size() / processed);
        caughtUp.forEach((group, after) -> System.out.printf("    %-34s caught up %.1f s after the last batch was accepted%n",
                group, after.toMillis() / 1000.0));
        return messages.size() / processed;
    }

    /**
     * Half the measured rate for {@link #PACED_SECONDS}: batches of {@link #PACED_BATCH} mixed messages, one of
     * them a new visitor's order; a watcher polls Redis for when each probe's membership is visible.
     */
    private void pacedWithProbes(HttpClient client, String url, String auth, String redisUrl, long epoch, String probeSegment,
                                 double rate) throws Exception {
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        Map<String, Long> visibleAt = new ConcurrentHashMap<>();
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        Future<?> watching = watcher.submit(() -> watch(redisUrl, epoch, probeSegment, acceptedAt, visibleAt));
        long intervalNanos = (long) (PACED_BATCH / rate * 1e9);
        long start = System.nanoTime();
        int sent = 0;
        for (int i = 0; System.nanoTime() - start < PACED_SECONDS * 1_000_000_000L; i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int m = 0; m < PACED_BATCH - 1; m++) {
                batch.add(mixedMessage());
            }
            String probe = "probe-" + i;
            batch.add(message("track", Map.of("anonymousId", probe, "event", "Order Completed",
                    "properties", Map.of("revenue", 42.0, "orderId", probe))));
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("batch", batch)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
            acceptedAt.put(probe, System.currentTimeMillis());
            sent += batch.size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.currentTimeMillis() + 120_000;
        while (visibleAt.size() < acceptedAt.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        watching.cancel(true);
        watcher.shutdownNow();
        long[] latencies = visibleAt.entrySet().stream().mapToLong(e -> e.getValue() - acceptedAt.get(e.getKey()))
                .sorted().toArray();
        System.out.printf("latency at %,.0f messages/s (half the mixed rate) for %.0f s, API answer → membership in Redis, "
                        + "%d of %d probes seen: p50 %d ms, p99 %d ms, max %d ms%n", sent / seconds, seconds,
                latencies.length, acceptedAt.size(), percentile(latencies, 0.50), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1]);
    }

    private static Void watch(String redisUrl, long epoch, String probeSegment, Map<String, Long> acceptedAt,
                              Map<String, Long> visibleAt) throws Exception {
        Map<String, String> profileOf = new LinkedHashMap<>();
        try (Resp redis = new Resp(redisUrl)) {
            while (!Thread.currentThread().isInterrupted()) {
                List<String> unresolved = acceptedAt.keySet().stream()
                        .filter(p -> !visibleAt.containsKey(p) && !profileOf.containsKey(p)).toList();
                if (!unresolved.isEmpty()) {
                    List<String> ids = redis.pipeline(unresolved.stream()
                            .map(p -> new String[] {"GET", CacheKeys.identifier(epoch, WORKSPACE, "anonymous_id", p)}).toList());
                    for (int i = 0; i < ids.size(); i++) {
                        if (ids.get(i) != null) {
                            profileOf.put(unresolved.get(i), ids.get(i));
                        }
                    }
                }
                List<String> pending = profileOf.keySet().stream().filter(p -> !visibleAt.containsKey(p)).toList();
                if (!pending.isEmpty()) {
                    List<String> cached = redis.pipeline(pending.stream()
                            .map(p -> new String[] {"GET", CacheKeys.profile(epoch, WORKSPACE, profileOf.get(p))}).toList());
                    long now = System.currentTimeMillis();
                    for (int i = 0; i < cached.size(); i++) {
                        String value = cached.get(i);
                        if (value != null && Arrays.asList(value.split("\\|", -1)[1].split(",")).contains(probeSegment)) {
                            visibleAt.put(pending.get(i), now);
                        }
                    }
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** 8 connections, each SET then GET of its own keys, one round trip at a time: Redis as a client sees it. */
    private static void redisBaseline(String redisUrl) throws Exception {
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                long[] micros = new long[perThread * 2];
                try (Resp redis = new Resp(redisUrl)) {
                    for (int i = 0; i < perThread; i++) {
                        String key = "bench:" + thread + ":" + i;
                        long t0 = System.nanoTime();
                        redis.call("SET", key, "1|seg-a,seg-b,seg-c|");
                        long t1 = System.nanoTime();
                        redis.call("GET", key);
                        micros[2 * i] = (t1 - t0) / 1_000;
                        micros[2 * i + 1] = (System.nanoTime() - t1) / 1_000;
                    }
                }
                return micros;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> result : results) {
            for (long m : result.get()) {
                all.add(m);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("baseline, Redis SET/GET loop (8 connections, no pipelining): %,d commands in %.1f s = %,.0f/s; "
                + "round trip p50 %d µs, p99 %d µs%n", sorted.length, seconds, sorted.length / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private Map<String, Object> mixedMessage() {
        double r = random.nextDouble();
        if (r < 0.10) {
            return identify();
        }
        Map<String, Object> who = random.nextInt(5) == 0 ? visitor(pickVisitor()) : person(random.nextInt(people));
        if (r < 0.15) {
            Map<String, Object> page = new LinkedHashMap<>(who);
            page.put("name", "Category");
            page.put("properties", Map.of("path", "/c/" + random.nextInt(40)));
            return message("page", page);
        }
        return track(who);
    }

    /** Half new people; of the known half, one in ten links a visitor who has events of their own (a merge). */
    private Map<String, Object> identify() {
        if (random.nextBoolean()) {
            return newPerson();
        }
        int person = random.nextInt(people);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("userId", "u-" + person);
        if (random.nextInt(10) == 0 && !unlinkedVisitors.isEmpty()) {
            fields.put("anonymousId", "v-" + unlinkedVisitors.remove(random.nextInt(unlinkedVisitors.size())));
        }
        fields.put("traits", Map.of("plan", random.nextInt(4) == 0 ? "pro" : "free", "age", 18 + random.nextInt(60),
                "country", random.nextBoolean() ? "GB" : "FR"));
        return message("identify", fields);
    }

    private Map<String, Object> newPerson() {
        int n = people++;
        return message("identify", Map.of("userId", "u-" + n, "anonymousId", "a-" + n, "traits", Map.of(
                "email", "u-" + n + "@bench.example", "plan", random.nextInt(4) == 0 ? "pro" : "free",
                "age", 18 + random.nextInt(60), "country", random.nextBoolean() ? "GB" : "FR")));
    }

    private static Map<String, Object> person(int n) {
        return Map.of("userId", "u-" + n);
    }

    private int pickVisitor() {
        if (random.nextInt(10) == 0) {
            return nextVisitor++;
        }
        return random.nextInt(Math.max(1, nextVisitor));
    }

    private Map<String, Object> visitor(int n) {
        if (seenVisitors.add(n)) {
            unlinkedVisitors.add(n);
        }
        return Map.of("anonymousId", "v-" + n);
    }

    /** A track event; event names skewed as shops' are (views far more often than orders). */
    private Map<String, Object> track(Map<String, Object> who) {
        int index = Math.min(EVENTS.length - 1, (int) Math.floor(-Math.log(1 - random.nextDouble()) * 4));
        String event = EVENTS[index];
        Map<String, Object> fields = new LinkedHashMap<>(who);
        fields.put("event", event);
        fields.put("properties", event.equals("Order Completed")
                ? Map.of("orderId", UUID.randomUUID().toString(), "revenue", 5 + random.nextInt(200), "currency", "GBP")
                : Map.of("sku", "SKU-" + random.nextInt(2_000), "category", "C" + random.nextInt(12),
                "price", 1 + random.nextInt(90)));
        return message("track", fields);
    }

    private static Map<String, Object> message(String type, Map<String, Object> fields) {
        Map<String, Object> message = new LinkedHashMap<>(fields);
        message.put("type", type);
        message.put("messageId", UUID.randomUUID().toString());
        message.put("timestamp", Instant.now().toString());
        return message;
    }

    /** An exclusion group of three of the segments below, by name: a person is in the first that matches. */
    private static final Map<String, Integer> LIFECYCLE = Map.of("Reviewers", 1, "Refunders", 2, "Email clickers", 3);

    /**
     * 30 segments over the stream's events and traits: every condition kind, a segment referencing two others
     * ({@code "@name"} stands for the id of the segment of that name), an exclusion group ({@link #LIFECYCLE}).
     */
    private static Map<String, String> segments() {
        Map<String, String> s = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            s.put("Frequent " + EVENTS[i], "{\"event\":\"" + EVENTS[i] + "\",\"within\":\"P7D\",\"op\":\"gte\",\"value\":3}");
        }
        s.put(PROBE_SEGMENT, "{\"event\":\"Order Completed\",\"within\":\"P1D\",\"op\":\"gte\",\"value\":1}");
        s.put("Big spenders", "{\"event\":\"Order Completed\",\"aggregate\":\"sum\",\"property\":\"revenue\",\"within\":\"P30D\",\"op\":\"gt\",\"value\":300}");
        s.put("Large basket", "{\"event\":\"Order Completed\",\"aggregate\":\"max\",\"property\":\"revenue\",\"within\":\"P30D\",\"op\":\"gte\",\"value\":150}");
        s.put("Browsed many categories", "{\"event\":\"Product Viewed\",\"aggregate\":\"distinct\",\"property\":\"category\",\"within\":\"P7D\",\"op\":\"gte\",\"value\":4}");
        s.put("Abandoned checkout", "{\"sequence\":[{\"event\":\"Checkout Started\"},{\"event\":\"Order Completed\"}],"
                + "\"op\":\"not_followed_by\",\"within\":\"PT1H\",\"during\":\"P7D\"}");
        s.put("Searched then bought", "{\"sequence\":[{\"event\":\"Products Searched\"},{\"event\":\"Order Completed\"}],"
                + "\"op\":\"followed_by\",\"within\":\"P1D\",\"during\":\"P30D\"}");
        s.put("Pro plan", "{\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}");
        s.put("Over 40", "{\"trait\":\"age\",\"op\":\"gte\",\"value\":40}");
        s.put("French", "{\"trait\":\"country\",\"op\":\"in\",\"value\":[\"FR\",\"BE\"]}");
        s.put("Bench emails", "{\"trait\":\"email\",\"op\":\"ends_with\",\"value\":\"@bench.example\"}");
        s.put("Two or more orders", "{\"trait\":\"$profile.orderCount\",\"op\":\"gte\",\"value\":2}");
        s.put("Engaged visitors", "{\"trait\":\"$profile.visitCount\",\"op\":\"gte\",\"value\":3}");
        s.put("Open cart", "{\"trait\":\"$profile.cartOpen\",\"op\":\"eq\",\"value\":true}");
        s.put("Pro big spenders", "{\"all\":[{\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"},"
                + "{\"event\":\"Order Completed\",\"aggregate\":\"sum\",\"property\":\"revenue\",\"within\":\"P30D\",\"op\":\"gt\",\"value\":300}]}");
        s.put("Promotion responders", "{\"any\":[{\"event\":\"Promotion Clicked\",\"within\":\"P7D\",\"op\":\"gte\",\"value\":1},"
                + "{\"event\":\"Coupon Applied\",\"within\":\"P7D\",\"op\":\"gte\",\"value\":1}]}");
        s.put("Viewers who never ordered", "{\"all\":[{\"event\":\"Product Viewed\",\"within\":\"P30D\",\"op\":\"gte\",\"value\":1},"
                + "{\"not\":{\"event\":\"Order Completed\",\"within\":\"P90D\",\"op\":\"gte\",\"value\":1}}]}");
        s.put("Reviewers", "{\"event\":\"Product Reviewed\",\"within\":\"P30D\",\"op\":\"gte\",\"value\":1}");
        s.put("Refunders", "{\"event\":\"Order Refunded\",\"within\":\"P30D\",\"op\":\"gte\",\"value\":1}");
        s.put("Email clickers", "{\"event\":\"Email Link Clicked\",\"within\":\"P30D\",\"op\":\"gte\",\"value\":1}");
        s.put("Pro repeat buyers", "{\"all\":[{\"segment\":\"@Pro plan\"},{\"segment\":\"@Two or more orders\"}]}");
        return s;
    }
}
