package io.satsuma.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.LocalInfrastructure;
import io.satsuma.platform.ServiceProcess;
import io.satsuma.sandbox.ChannelSandbox;
import io.satsuma.sandbox.TwilioStub;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * activation-service against the channel sandbox, the packaged service as the run command starts it.
 *
 * <ul>
 *   <li>{@code audience}: the initial upload of a 1,000,000-member segment to a Meta Custom Audience (a new sync of an
 *   existing segment), members/s from {@code POST /v1/syncs} to the upload's end, against a baseline that posts the
 *   same rows, prebuilt (normalised and hashed beforehand), with a bare HTTP client to the same stub.</li>
 *   <li>{@code sms}: triggered SMS at 200 membership changes/s for 60 s, latency from the change's publication on
 *   Kafka to the Twilio stub's receipt (p50, p99), against a baseline of a hand-written consumer that reads the same
 *   kind of changes and posts each to the stub itself.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.ActivationBenchmark <project root> audience|sms}
 */
public final class ActivationBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String WORKSPACE = "bench";
    /** Members of the uploaded segment ({@code SATSUMA_BENCH_MEMBERS}, default 1,000,000). */
    private static final int MEMBERS = Integer.parseInt(System.getenv().getOrDefault("SATSUMA_BENCH_MEMBERS", "1000000"));
    private static final int BATCH = 10_000;
    private static final int SMS_RATE = 200;
    private static final int SMS_SECONDS = 60;

    private ActivationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        String mode = args.length > 1 ? args[1] : "audience";
        Path work = root.resolve("benchmarks/target/activation");
        try (LocalInfrastructure infra = LocalInfrastructure.start(work.resolve("infra"), System.getenv(), 0);
             ChannelSandbox sandbox = ChannelSandbox.start(0, ChannelSandbox.specsBeside(root))) {
            Map<String, String> env = new LinkedHashMap<>(infra.serviceEnvironment("activation"));
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            env.put("SATSUMA_SECRET_KEY", Base64.getEncoder().encodeToString(key));
            List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + work.resolve("tmp")));
            String extra = System.getenv("SATSUMA_BENCH_SERVICE_JVM");
            if (extra != null && !extra.isBlank()) {
                jvm.addAll(List.of(extra.trim().split("\\s+")));
            }
            try (ServiceProcess service = ServiceProcess.start("activation-service",
                    root.resolve("activation-service/target/quarkus-app/quarkus-run.jar"), FreePorts.next(), env,
                    work.resolve("activation-service.log"), jvm);
                 Connection db = DriverManager.getConnection(infra.postgres().jdbcUrl("activation"),
                         infra.postgres().user(), infra.postgres().password());
                 Statement s = db.createStatement()) {
                service.awaitReady(Duration.ofSeconds(180));
                String token = DevTokens.mint(infra.oidc().issuer(), WORKSPACE, "admin");
                if (mode.equals("sms")) {
                    sms(service, s, sandbox, token, infra.kafka().bootstrapServers());
                } else {
                    audience(service, s, sandbox, token);
                }
            }
        }
    }

    // ---------------------------------------------------------------- audience upload

    private static void audience(ServiceProcess service, Statement s, ChannelSandbox sandbox, String token) throws Exception {
        sandbox.meta().keepRows(false);
        long t0 = System.nanoTime();
        s.execute("""
                INSERT INTO contact (workspace, profile_id, version, status, identifiers, traits, consent, push_tokens,
                                     reach_digest, updated_at)
                SELECT 'bench', 'p' || lpad(g::text, 7, '0'), 1, 'ACTIVE',
                       jsonb_build_array(jsonb_build_object('type', 'user_id', 'value', 'u' || g),
                                         jsonb_build_object('type', 'email', 'value', 'User' || g || '@Example.com'),
                                         jsonb_build_object('type', 'phone', 'value', '+1415' || lpad(g::text, 7, '0'))),
                       jsonb_build_object('firstName', 'Name' || (g % 500), 'lastName', 'Family' || (g % 900),
                                          'address', jsonb_build_object('city', 'London', 'country', 'GB')),
                       '{"ads": true}', '{}', 'bench', now()
                FROM generate_series(1, $N) g""".replace("$N", Integer.toString(MEMBERS)));
        s.execute("""
                INSERT INTO segment_member (workspace, segment_id, profile_id, member, holdout, sequence)
                SELECT 'bench', 'seg-bench', 'p' || lpad(g::text, 7, '0'), true, false, 1
                FROM generate_series(1, $N) g""".replace("$N", Integer.toString(MEMBERS)));
        s.execute("VACUUM ANALYZE contact");
        s.execute("VACUUM ANALYZE segment_member");
        System.out.printf("loaded %,d contacts and segment members in %d ms%n", MEMBERS, (System.nanoTime() - t0) / 1_000_000);

        List<byte[]> bodies = prebuiltBodies();
        String url = sandbox.baseUrl("meta");
        post(url + "/1/users", bodies.subList(0, 5)); // warms the stub's parsing and checks up
        double baseline1 = MEMBERS / post(url + "/2/users", bodies);
        sandbox.reset();
        sandbox.meta().keepRows(false);
        System.out.printf("baseline: bare HTTP client posting %d prebuilt bodies of %,d rows: %,.0f members/s%n",
                bodies.size(), BATCH, baseline1);

        String destination = create(service.url() + "/v1/destinations", token, Map.of("name", "meta", "type",
                "meta_custom_audience", "config", Map.of("audienceId", "3", "baseUrl", url),
                "secrets", Map.of("accessToken", "EAAB-benchmark-token"))).path("id").asText();
        long start = System.nanoTime();
        String sync = create(service.url() + "/v1/syncs", token, Map.of("segmentId", "seg-bench", "destinationId",
                destination)).path("id").asText();
        JsonNode status;
        do {
            Thread.sleep(1_000);
            status = get(service.url() + "/v1/syncs/" + sync + "/status", token);
        } while (status.path("upload").path("finishedAt").isNull() || status.path("upload").path("finishedAt").isMissingNode());
        double wall = (System.nanoTime() - start) / 1e9;
        double uploadSeconds = Duration.between(Instant.parse(status.path("upload").path("startedAt").asText()),
                Instant.parse(status.path("upload").path("finishedAt").asText())).toMillis() / 1000.0;
        int held = sandbox.meta().audienceSize("3");
        System.out.printf("activation-service: POST /v1/syncs to upload finished %.1f s (upload itself %.1f s): "
                        + "%,.0f members/s; the audience holds %,d; status %s%n", wall, uploadSeconds, MEMBERS / wall,
                held, status);

        sandbox.reset();
        sandbox.meta().keepRows(false);
        double baseline2 = MEMBERS / post(url + "/4/users", bodies);
        System.out.printf("baseline again after: %,.0f members/s%n", baseline2);
        double baseline = (baseline1 + baseline2) / 2;
        System.out.printf("activation-service %,.0f members/s = %.0f %% of the baseline (%,.0f members/s, mean of %,.0f and "
                + "%,.0f); sandbox violations: %d%n", MEMBERS / wall, 100 * (MEMBERS / wall) / baseline, baseline,
                baseline1, baseline2, sandbox.violations().size());
        if (held != MEMBERS) {
            throw new IllegalStateException("the audience holds " + held + ", not " + MEMBERS);
        }
    }

    /** The rows activation-service sends for the same people, normalised and hashed beforehand, as Meta bodies. */
    private static List<byte[]> prebuiltBodies() throws Exception {
        long t0 = System.nanoTime();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();
        List<byte[]> bodies = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>(BATCH);
        for (int g = 1; g <= MEMBERS; g++) {
            rows.add(List.of(String.format("p%07d", g), hash(sha, hex, "user" + g + "@example.com"),
                    hash(sha, hex, String.format("1415%07d", g)), "", hash(sha, hex, "name" + (g % 500)),
                    hash(sha, hex, "family" + (g % 900)), hash(sha, hex, "london"), "", "", hash(sha, hex, "gb")));
            if (rows.size() == BATCH) {
                bodies.add(JSON.writeValueAsBytes(Map.of("payload", Map.of("schema", List.of("EXTERN_ID", "EMAIL", "PHONE",
                        "MADID", "FN", "LN", "CT", "ST", "ZIP", "COUNTRY"), "data", rows))));
                rows = new ArrayList<>(BATCH);
            }
        }
        System.out.printf("prebuilt %d bodies in %d ms (not timed)%n", bodies.size(), (System.nanoTime() - t0) / 1_000_000);
        return bodies;
    }

    private static String hash(MessageDigest sha, HexFormat hex, String text) {
        return hex.formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Posts the bodies one after the other; returns the seconds it took. */
    private static double post(String url, List<byte[]> bodies) throws Exception {
        long t0 = System.nanoTime();
        for (byte[] body : bodies) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer EAAB-benchmark-token").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------------------------------------------------------------- triggered SMS

    private static void sms(ServiceProcess service, Statement s, ChannelSandbox sandbox, String token, String kafka)
            throws Exception {
        int total = SMS_RATE * SMS_SECONDS;
        s.execute("""
                INSERT INTO contact (workspace, profile_id, version, status, identifiers, traits, consent, push_tokens,
                                     reach_digest, updated_at)
                SELECT 'bench', $P, 1, 'ACTIVE',
                       jsonb_build_array(jsonb_build_object('type', 'phone', 'value', '+1415' || lpad(g::text, 7, '0'))),
                       jsonb_build_object('first_name', 'Name' || g), '{"sms": true}', '{}', 'bench', now()
                FROM generate_series(1, $N) g""".replace("$N", Integer.toString(2 * total))
                .replace("$P", "'s' || lpad(g::text, 7, '0')"));
        String twilio = create(service.url() + "/v1/destinations", token, Map.of("name", "sms", "type", "twilio_sms",
                "config", Map.of("accountSid", "AC" + "0123456789abcdef".repeat(2), "from", "+15005550006",
                        "baseUrl", sandbox.baseUrl("twilio"), "rate", "1000", "burst", "1000", "concurrency", "8"),
                "secrets", Map.of("authToken", "0123456789abcdef0123456789abcdef"))).path("id").asText();
        create(service.url() + "/v1/syncs", token, Map.of("segmentId", "seg-sms", "destinationId", twilio,
                "settings", Map.of("template", Map.of("body", "Hi {traits.first_name ?: 'there'}, 10% off today: SATSUMA10"))));

        // Baseline: a hand-written pipeline (a plain consumer posting each change to the stub) on its own segment.
        Map<String, Instant> published = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch ready = new CountDownLatch(1);
        Thread bare = new Thread(() -> bareConsumer(kafka, sandbox, running, ready), "bare-sms-consumer");
        bare.start();
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the baseline consumer got no partitions");
        }
        publish(kafka, "seg-baseline", total, total, published);
        List<Long> baseline = latencies(sandbox, published, total, 2 * total);
        running.set(false);
        bare.join();
        report("baseline: hand-written consumer posting to the stub", baseline);

        published.clear();
        publish(kafka, "seg-sms", 0, total, published);
        List<Long> satsuma = latencies(sandbox, published, 0, total);
        report("activation-service: membership change to Twilio stub", satsuma);
        System.out.printf("sandbox violations: %d%n", sandbox.violations().size());
    }

    /** Publishes {@code count} entries at {@link #SMS_RATE}/s for profiles {@code from+1 ..}, noting when each left. */
    private static void publish(String kafka, String segment, int from, int count, Map<String, Instant> published)
            throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka);
        props.put("linger.ms", "0");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger next = new AtomicInteger();
            long periodMicros = 1_000_000 / SMS_RATE;
            CountDownLatch done = new CountDownLatch(1);
            pace.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= count) {
                    done.countDown();
                    return;
                }
                String profile = String.format("s%07d", from + i + 1);
                String value = "{\"segmentId\":\"" + segment + "\",\"segmentName\":\"Bench\",\"profileId\":\"" + profile
                        + "\",\"change\":\"ENTERED\",\"at\":\"" + Instant.now() + "\",\"holdout\":false,\"sequence\":1}";
                ProducerRecord<String, String> record = new ProducerRecord<>(Topic.MEMBERSHIPS.topicName(), profile, value);
                header(record, CloudEvents.HEADER_SPEC_VERSION, CloudEvents.SPEC_VERSION);
                header(record, CloudEvents.HEADER_ID, UUID.randomUUID().toString());
                header(record, CloudEvents.HEADER_TYPE, CloudEvents.TYPE_MEMBERSHIP_CHANGED);
                header(record, CloudEvents.HEADER_SOURCE, "/benchmark");
                header(record, CloudEvents.HEADER_TIME, Instant.now().toString());
                header(record, CloudEvents.HEADER_CE_WORKSPACE, WORKSPACE);
                header(record, CloudEvents.HEADER_WORKSPACE, WORKSPACE);
                published.put(profile, Instant.now());
                producer.send(record);
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            done.await();
            pace.shutdownNow();
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The baseline pipeline: read baseline changes, post each as a Twilio message, one at a time. */
    private static void bareConsumer(String kafka, ChannelSandbox sandbox, AtomicBoolean running, CountDownLatch ready) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka);
        props.put("group.id", "bench-baseline");
        props.put("auto.offset.reset", "earliest");
        String url = sandbox.baseUrl("twilio") + "/2010-04-01/Accounts/AC" + "0123456789abcdef".repeat(2) + "/Messages.json";
        String auth = "Basic " + Base64.getEncoder().encodeToString(("AC" + "0123456789abcdef".repeat(2)
                + ":0123456789abcdef0123456789abcdef").getBytes(StandardCharsets.UTF_8));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topic.MEMBERSHIPS.topicName()));
            while (running.get()) {
                var polled = consumer.poll(Duration.ofMillis(100));
                if (!consumer.assignment().isEmpty()) {
                    ready.countDown();
                }
                for (ConsumerRecord<String, String> r : polled) {
                    if (!r.value().contains("seg-baseline")) {
                        continue;
                    }
                    int n = Integer.parseInt(r.key().substring(1));
                    String form = "To=" + URLEncoder.encode(String.format("+1415%07d", n), StandardCharsets.UTF_8)
                            + "&From=%2B15005550006&Body=" + URLEncoder.encode("Hi Name" + n + ", 10% off today: SATSUMA10",
                            StandardCharsets.UTF_8);
                    HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the messages to profiles {@code from+1 .. to} and returns each one's latency in ms. */
    private static List<Long> latencies(ChannelSandbox sandbox, Map<String, Instant> published, int from, int to)
            throws InterruptedException {
        int expected = to - from;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        List<TwilioStub.Message> received;
        do {
            Thread.sleep(500);
            received = sandbox.twilio().messages().stream()
                    .filter(m -> inRange(m, from, to)).toList();
        } while (received.size() < expected && System.nanoTime() < deadline);
        List<Long> latencies = new ArrayList<>();
        for (TwilioStub.Message m : received) {
            Instant sent = published.get(String.format("s%07d", Integer.parseInt(m.to().substring(5))));
            latencies.add(Duration.between(sent, m.at()).toMillis());
        }
        if (received.size() != expected) {
            System.out.printf("only %,d of %,d messages arrived (the stub received %,d requests; violations %s)%n",
                    received.size(), expected, sandbox.twilio().requests(),
                    sandbox.violations().stream().limit(3).toList());
        }
        return latencies;
    }

    private static boolean inRange(TwilioStub.Message m, int from, int to) {
        int n = Integer.parseInt(m.to().substring(5));
        return n > from && n <= to;
    }

    private static void report(String what, List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%s: %,d messages at %d/s, latency p50 %d ms, p99 %d ms, max %d ms%n", what, sorted.size(), SMS_RATE,
                percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static JsonNode create(String url, String token, Object body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode get(String url, String token) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
