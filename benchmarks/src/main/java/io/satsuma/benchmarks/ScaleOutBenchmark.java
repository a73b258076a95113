package io.satsuma.benchmarks;

import io.satsuma.localinfra.FreePorts;
import io.satsuma.platform.ConsumerLag;
import io.satsuma.platform.OnlineRetail;
import io.satsuma.platform.Platform;
import io.satsuma.platform.SatsumaHttp;
import io.satsuma.platform.ServiceProcess;
import io.satsuma.platform.importer.Importer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of one instance of each service against two (issue 14 §3), on the same infrastructure and machine.
 * Online Retail customers are split into three rounds of equal size, each round's customers new to the platform:
 * one instance of each service, then a second instance of each started beside it (each customer's messages sent
 * to one of the two profile-services), then the second instances stopped again — so warm-up and a growing database
 * do not favour either side. Each round counts from its first message sent to every consumer group caught up.
 * The workspace has the segment library's kind of load: five segments (traits, aggregates, event windows) and the
 * insights and activation consumers of every change.
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.ScaleOutBenchmark <project root> [customers per round]}
 */
public final class ScaleOutBenchmark {
    private static final List<Map<String, Object>> SEGMENTS = List.of(
            Map.of("name", "Buyers", "condition", Map.of("event", "Order Completed", "within", "P400D", "op", "gte", "value", 1)),
            Map.of("name", "Big spenders", "condition", Map.of("trait", "$profile.totalRevenue", "op", "gte", "value", 1000)),
            Map.of("name", "Repeat buyers", "condition", Map.of("trait", "$profile.orderCount", "op", "gte", "value", 3)),
            Map.of("name", "In Britain", "condition", Map.of("trait", "country", "op", "eq", "value", "United Kingdom")),
            Map.of("name", "Ordered this month", "condition",
                    Map.of("event", "Order Completed", "within", "P30D", "op", "gte", "value", 1)));

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 700;
        Path work = root.resolve("benchmarks/target/scale-out");
        Map<String, Integer> ports = new LinkedHashMap<>();
        Platform.ORDER.forEach(name -> ports.put(name, 0));
        Platform platform = Platform.start(root, work, ports, 0, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "stop-platform"));
        int status = 0;
        try {
            run(root, work, platform, perRound);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static void run(Path root, Path work, Platform platform, int perRound) throws Exception {
        SatsumaHttp http = new SatsumaHttp();
        String admin = platform.infrastructure().oidc().mint("bench", "scale-out", List.of("admin"), Duration.ofHours(2));
        String writeKey = http.create(platform.url("profile-service") + "/v1/sources", admin, Map.of("name", "retail"))
                .path("writeKey").asText();
        for (Map<String, Object> segment : SEGMENTS) {
            http.create(platform.url("segment-service") + "/v1/segments", admin, segment);
        }
        List<List<List<Map<String, Object>>>> rounds = rounds(OnlineRetail.messages(
                root.resolve("../shared/data/online_retail.csv.gz"), 3 * perRound, Instant.now().minus(Duration.ofDays(1))));
        platform.awaitIdle(Duration.ofMinutes(5));

        double one = round("round 1, one instance of each service", platform, List.of(platform.url("profile-service")),
                rounds.get(0), writeKey);
        List<ServiceProcess> second = new ArrayList<>();
        try {
            for (ServiceProcess first : platform.services()) {
                second.add(first.replica(FreePorts.next(), work.resolve("logs").resolve(first.name() + "-2.log")));
            }
            second.forEach(s -> s.awaitReady(Duration.ofSeconds(180)));
            platform.awaitIdle(Duration.ofMinutes(2));
            double two = round("round 2, two instances of each service", platform, List.of(platform.url("profile-service"),
                    second.get(0).url()), rounds.get(1), writeKey);
            System.out.printf("two instances / one: %.2f%n", two / one);
        } finally {
            second.forEach(ServiceProcess::close);
        }
        platform.awaitIdle(Duration.ofMinutes(2));
        round("round 3, one instance again", platform, List.of(platform.url("profile-service")), rounds.get(2), writeKey);
    }

    /** The messages grouped by customer (in file order), customers dealt round-robin into three rounds. */
    private static List<List<List<Map<String, Object>>>> rounds(List<Map<String, Object>> messages) {
        Map<Object, List<Map<String, Object>>> byCustomer = new LinkedHashMap<>();
        messages.forEach(m -> byCustomer.computeIfAbsent(m.get("userId"), c -> new ArrayList<>()).add(m));
        List<List<List<Map<String, Object>>>> rounds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int i = 0;
        for (List<Map<String, Object>> customer : byCustomer.values()) {
            rounds.get(i++ % 3).add(customer);
        }
        return rounds;
    }

    /** Sends the round's customers, dealt to the profile-services, and waits until every group caught up. */
    private static double round(String name, Platform platform, List<String> profileUrls,
                                List<List<Map<String, Object>>> customers, String writeKey) throws Exception {
        List<List<Map<String, Object>>> perInstance = new ArrayList<>();
        profileUrls.forEach(u -> perInstance.add(new ArrayList<>()));
        for (int c = 0; c < customers.size(); c++) {
            perInstance.get(c % profileUrls.size()).addAll(customers.get(c));
        }
        int total = perInstance.stream().mapToInt(List::size).sum();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService senders = Executors.newFixedThreadPool(profileUrls.size());
        long start = System.nanoTime();
        List<Future<Importer.Summary>> sent = new ArrayList<>();
        for (int i = 0; i < profileUrls.size(); i++) {
            Importer importer = new Importer(profileUrls.get(i), writeKey, 4 / profileUrls.size());
            List<Map<String, Object>> messages = perInstance.get(i);
            sent.add(senders.submit(() -> importer.run(messages, quiet)));
        }
        for (Future<Importer.Summary> summary : sent) {
            if (summary.get().rejected() > 0) {
                throw new IllegalStateException(name + ": messages rejected: " + summary.get().errors());
            }
        }
        senders.shutdown();
        double accepted = (System.nanoTime() - start) / 1e9;
        Map<String, Duration> caughtUp;
        try (ConsumerLag lag = new ConsumerLag(platform.kafkaBootstrapServers())) {
            caughtUp = lag.awaitIdle(Duration.ofMinutes(15));
        }
        double processed = accepted + caughtUp.values().stream().mapToDouble(d -> d.toMillis() / 1000.0).max()
                .orElseThrow(() -> new IllegalStateException(name + ": not processed within 15 minutes"));
        System.out.printf("%s: %,d customers, %,d messages accepted in %.1f s, fully processed after %.1f s = %,.0f messages/s%n",
                name, customers.size(), total, accepted, processed, total / processed);
        caughtUp.forEach((group, after) -> System.out.printf("    %-34s caught up %.1f s after the last message was accepted%n",
                group, after.toMillis() / 1000.0));
        return total / processed;
    }
}
