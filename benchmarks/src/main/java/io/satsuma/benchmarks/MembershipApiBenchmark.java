package io.satsuma.benchmarks;

import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.LocalInfrastructure;
import io.satsuma.platform.ServiceProcess;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The membership API — "which segments is this profile in?", asked by client apps on every page view — on the
 * packaged segment-service (as the run command starts it), against a bare endpoint of the same service in the same
 * run (issue 14 §5, ARCHITECTURE.md §9).
 *
 * <p>100,000 profiles are written into segment-service's tables as its consumers would have left them; four
 * segments (20 %, 33 %, ~4 % and ~1 % of them) are created and backfilled, and every profile is asked for once
 * (the cache is warm, as it is in steady state). Then, with random profile ids:
 * <ol>
 *   <li>saturation: a closed loop of {@code c} connections (4 and 16), 20 s each, for
 *       {@code GET /v1/profiles/{id}/segments} and for {@code GET /q/health/live} (no authentication, no work),
 *       driven by {@code wrk} (C, two threads: a Java driver saturates a core before the bare endpoint does);</li>
 *   <li>a fixed 2,000 requests/s for 30 s, open loop: each request has an intended start time, and its latency is
 *       counted from that time, not from when it was sent — so a stall that delays the requests behind it counts
 *       for each of them (coordinated omission corrected, as wrk2 does), over 32 kept-alive connections.</li>
 * </ol>
 * The load driver shares the machine's cores with the service, for the API and the baseline alike.
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.MembershipApiBenchmark <project root>}
 */
public final class MembershipApiBenchmark {
    private static final int PROFILES = 100_000;
    private static final String WORKSPACE = "bench";
    private static final int SATURATION_SECONDS = 20;
    private static final int FIXED_RATE = 2_000;
    private static final int FIXED_RATE_SECONDS = 30;
    private static final int WARM_UP_SECONDS = 5;
    /**
     * Connections of the fixed-rate runs, each with at most one request in flight (as wrk2 has a fixed set): enough
     * that at 2,000/s a request waits for a free one only when the service stalls.
     */
    private static final int MAX_CONNECTIONS = 32;
    /** Where the fixed-rate runs say when in the run requests were slow: a burst or spread out. */
    private static final Duration SLOW = Duration.ofMillis(20);
    private static final List<String> SEGMENTS = List.of(
            """
            {"name": "In Britain", "condition": {"trait": "country", "op": "eq", "value": "GB"}}""",
            """
            {"name": "Pro plan", "condition": {"trait": "plan", "op": "eq", "value": "pro"}}""",
            """
            {"name": "Ordered this month", "condition": {"event": "Order Completed", "within": "P30D", "op": "gte", "value": 1}}""",
            """
            {"name": "Engaged European payers", "condition": {"all": [
              {"trait": "country", "op": "in", "value": ["GB", "DE", "FR"]},
              {"trait": "plan", "op": "ne", "value": "free"},
              {"trait": "$profile.orderCount", "op": "gte", "value": 2},
              {"trait": "$profile.totalRevenue", "op": "gt", "value": 100},
              {"event": "Order Completed", "within": "P90D", "op": "gte", "value": 1}]}}""");

    /** wrk's request generator: a random profile of the loaded ones per request. */
    private static final String RANDOM_PROFILE_SCRIPT = """
            math.randomseed(os.time())
            request = function()
              return wrk.format("GET", string.format("/v1/profiles/p%07d/segments", math.random(1, $PROFILES)))
            end
            """;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String token;

    private MembershipApiBenchmark(String token) {
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Path work = root.resolve("benchmarks/target/membership-api");
        try (LocalInfrastructure infra = LocalInfrastructure.start(work.resolve("infra"), System.getenv(), 0)) {
            Map<String, String> env = new LinkedHashMap<>(infra.serviceEnvironment("segment"));
            try (ServiceProcess service = ServiceProcess.start("segment-service",
                    root.resolve("segment-service/target/quarkus-app/quarkus-run.jar"), FreePorts.next(), env,
                    work.resolve("segment-service.log"),
                    serviceJvmOptions(work));
                 Connection db = DriverManager.getConnection(infra.postgres().jdbcUrl("segment"),
                         infra.postgres().user(), infra.postgres().password());
                 Statement s = db.createStatement()) {
                service.awaitReady(Duration.ofSeconds(180));
                BackfillBenchmark.load(s, PROFILES);
                String admin = DevTokens.mint(infra.oidc().issuer(), WORKSPACE, "admin");
                MembershipApiBenchmark bench = new MembershipApiBenchmark(
                        DevTokens.mint(infra.oidc().issuer(), WORKSPACE, "membership-reader"));
                bench.defineSegments(service.url(), admin);
                System.out.printf("memberships: %,d of %,d profiles in at least one of %d segments%n",
                        count(s, "SELECT count(DISTINCT profile_id) FROM membership WHERE workspace = 'bench' AND member"),
                        PROFILES, SEGMENTS.size());

                String health = service.url() + "/q/health/live";
                IntFunction<String> byId = i -> service.url() + "/v1/profiles/" + profileId(i) + "/segments";
                long warm = System.nanoTime();
                Result warmUp = bench.closedLoop(16, 0, byId, true);
                System.out.printf("warm-up: every profile asked once, %,d requests in %.1f s%n", warmUp.requests(),
                        (System.nanoTime() - warm) / 1e9);
                bench.closedLoop(16, 5, i -> health, false);

                Path script = work.resolve("random-profile.lua");
                Files.writeString(script, RANDOM_PROFILE_SCRIPT.replace("$PROFILES", Integer.toString(PROFILES)));
                for (int connections : new int[] {4, 16}) {
                    Wrk bare = bench.wrk(connections, health, null);
                    Wrk api = bench.wrk(connections, service.url() + "/v1/profiles/", script);
                    System.out.printf("saturation (wrk), %d connections: bare endpoint %s; membership API %s; API/bare = %.0f %%%n",
                            connections, bare, api, 100.0 * api.perSecond() / bare.perSecond());
                }
                Path gcLog = work.resolve("segment-service-gc.log");
                // Each fixed-rate run follows a few untimed seconds of the same traffic: after 30 s of one endpoint
                // alone, the JIT's code for the other is deoptimised and compiled again when its traffic starts (a
                // recording showed the event loops deoptimising and the workers waiting for Redis's answers through
                // them), which is the change of traffic, not the endpoint.
                bench.fixedRate(FIXED_RATE, WARM_UP_SECONDS, i -> health, "bare endpoint, warm-up (not counted)");
                GcPauses.Window bareWindow = GcPauses.window(gcLog);
                Result bareFixed = bench.fixedRate(FIXED_RATE, FIXED_RATE_SECONDS, i -> health, "bare endpoint");
                System.out.printf("fixed %,d requests/s for %d s, latency from the intended start: bare endpoint %s; "
                        + "service's GC meanwhile: %s%n", FIXED_RATE, FIXED_RATE_SECONDS, bareFixed, bareWindow.close());
                bench.fixedRate(FIXED_RATE, WARM_UP_SECONDS, byId, "membership API, warm-up (not counted)");
                GcPauses.Window apiWindow = GcPauses.window(gcLog);
                Result apiFixed = bench.fixedRate(FIXED_RATE, FIXED_RATE_SECONDS, byId, "membership API");
                System.out.printf("fixed %,d requests/s for %d s, latency from the intended start: membership API %s; "
                        + "service's GC meanwhile: %s%n", FIXED_RATE, FIXED_RATE_SECONDS, apiFixed, apiWindow.close());
            }
        }
    }

    /** As the run command starts the service (its heap and collector), with a GC log to tell pauses in each run. */
    private static List<String> serviceJvmOptions(Path work) {
        return List.of("-Xmx512m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + work.resolve("segment-service-gc.log") + ":uptimenanos",
                "-Djava.io.tmpdir=" + work.resolve("tmp"));
    }

    private void defineSegments(String url, String admin) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String segment : SEGMENTS) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/segments"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(segment)).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("HTTP " + created.statusCode() + ": " + created.body());
            }
            String body = created.body();
            int at = body.indexOf("\"id\":\"") + 6;
            ids.add(body.substring(at, body.indexOf('"', at)));
        }
        for (String id : ids) {
            String status;
            do {
                Thread.sleep(200);
                status = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/segments/" + id + "/backfill"))
                        .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body();
            } while (!status.contains("\"DONE\""));
        }
    }

    /** What a run measured: requests, their rate, and latency percentiles in ms. */
    record Result(long requests, double perSecond, long errors, double p50, double p99, double p999, double max) {
        static Result of(long[] nanos, int n, long errors, double seconds) {
            long[] sorted = Arrays.copyOf(nanos, n);
            Arrays.sort(sorted);
            return new Result(n, n / seconds, errors, at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999),
                    n == 0 ? 0 : sorted[n - 1] / 1e6);
        }

        private static double at(long[] sorted, double quantile) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%,.0f req/s (%,d requests, %d errors), p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms",
                    perSecond, requests, errors, p50, p99, p999, max);
        }
    }

    /** What wrk measured: requests/s, non-2xx answers, and its latency percentiles in ms. */
    record Wrk(double perSecond, long requests, long errors, double p50, double p99) {
        @Override
        public String toString() {
            return String.format("%,.0f req/s (%,d requests, %d errors), p50 %.2f ms, p99 %.2f ms",
                    perSecond, requests, errors, p50, p99);
        }
    }

    /** Runs wrk for {@link #SATURATION_SECONDS} with two threads; with a script, the token goes in a header. */
    private Wrk wrk(int connections, String url, Path script) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + SATURATION_SECONDS + "s",
                "--latency", "-H", "Authorization: Bearer " + token));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes());
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher total = Pattern.compile("([0-9]+) requests in").matcher(out);
        Matcher errors = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)").matcher(out);
        if (!rate.find() || !total.find()) {
            throw new IllegalStateException("unexpected wrk output: " + out);
        }
        return new Wrk(Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)),
                errors.find() ? Long.parseLong(errors.group(1)) : 0, percentile(out, "50%"), percentile(out, "99%"));
    }

    private static double percentile(String wrkOutput, String which) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)").matcher(wrkOutput);
        if (!m.find()) {
            throw new IllegalStateException("no " + which + " in wrk output: " + wrkOutput);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /**
     * {@code connections} threads, each sending its next request when the last is answered, for {@code seconds}
     * (or, with {@code everyOnce}, until each of the profiles was asked once). Latency is the service time.
     */
    private Result closedLoop(int connections, int seconds, IntFunction<String> url, boolean everyOnce) throws Exception {
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int worker = c;
            latencies[c] = new long[everyOnce ? PROFILES / connections + 1 : 200_000];
            Thread thread = new Thread(() -> {
                int i = worker;
                while (everyOnce ? i < PROFILES : System.nanoTime() < deadline) {
                    int profile = everyOnce ? i : ThreadLocalRandom.current().nextInt(PROFILES);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(request(url.apply(profile)), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (counts[worker] < latencies[worker].length) {
                        latencies[worker][counts[worker]++] = System.nanoTime() - t0;
                    }
                    i += connections;
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        int n = Arrays.stream(counts).sum();
        long[] all = new long[n];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        return Result.of(all, n, errors.get(), elapsed);
    }

    /**
     * {@code rate} requests/s for {@code seconds}, each timed from its intended start (open loop, wrk2's model): the
     * i-th request is due at start + i / rate; {@link #MAX_CONNECTIONS} threads, each with one kept-alive (opened first)
     * connection, take the next due request, wait for its time if it is not due yet, send it and read the answer.
     * A request sent late because every connection was busy counts its wait. Plain sockets and a minimal HTTP/1.1
     * reader, so the driver's own cost stays far below the service's (the JDK's HttpClient could not hold 2,000/s here).
     */
    private Result fixedRate(int rate, int seconds, IntFunction<String> url, String label) throws Exception {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicLong errors = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        // Connections are opened, and used once, before the clock starts, as a client's kept-alive pool would be:
        // otherwise 32 connects and first requests at once are the bare endpoint's tail (in one run, 272 requests
        // over 20 ms in its first 200 ms; none once the connections were opened first).
        RawHttp[] opened = new RawHttp[MAX_CONNECTIONS];
        URI first = URI.create(url.apply(0));
        for (int c = 0; c < MAX_CONNECTIONS; c++) {
            opened[c] = new RawHttp(first.getHost(), first.getPort());
            opened[c].get(first.getRawPath(), token);
        }
        long start = System.nanoTime() + 10_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < MAX_CONNECTIONS; c++) {
            RawHttp own = opened[c];
            Thread thread = new Thread(() -> {
                RawHttp connection = own;
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long intended = start + i * interval;
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    URI target = URI.create(url.apply(ThreadLocalRandom.current().nextInt(PROFILES)));
                    try {
                        if (connection == null) {
                            connection = new RawHttp(target.getHost(), target.getPort());
                        }
                        if (connection.get(target.getRawPath(), token) != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        connection = null;
                    }
                    latencies[i] = System.nanoTime() - intended;
                }
                if (connection != null) {
                    connection.close();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Map<Integer, Integer> slowPerSecond = new TreeMap<>();
        for (int i = 0; i < total; i++) {
            if (latencies[i] > SLOW.toNanos()) {
                slowPerSecond.merge(i / rate, 1, Integer::sum);
            }
        }
        System.out.printf("  %s: requests over %d ms, per second of the run: %s%n", label, SLOW.toMillis(), slowPerSecond);
        return Result.of(latencies, total, errors.get(), (System.nanoTime() - start) / 1e9);
    }

    /** One kept-alive HTTP/1.1 connection: GET with a bearer token, the status returned, the body read and dropped. */
    private static final class RawHttp {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        RawHttp(String host, int port) throws IOException {
            this.socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            this.out = new BufferedOutputStream(socket.getOutputStream());
            this.in = new BufferedInputStream(socket.getInputStream());
            this.host = host + ":" + port;
        }

        int get(String path, String token) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            return code;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private void skip(long bytes) throws IOException {
            for (long left = bytes; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("connection closed");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing after the run: nothing to do
            }
        }
    }

    private HttpRequest request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static String profileId(int i) {
        return String.format("p%07d", i + 1);
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
