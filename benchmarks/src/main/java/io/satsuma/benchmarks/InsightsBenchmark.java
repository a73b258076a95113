package io.satsuma.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.LocalInfrastructure;
import io.satsuma.platform.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * insights-service's queries at the size ARCHITECTURE.md §9 names: a segment of 100,000 members (a fifth of them
 * exited again) over 1,000,000 orders of 200,000 profiles in the past year (5 % refunded), conversion and revenue per
 * month through the running service's API, against the same figures as hand-written SQL over the same tables; and
 * the overlap of 6 segments of 100,000 members each against a hand-written SQL count. The API's and the SQL's totals
 * are checked to agree.
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.InsightsBenchmark <project root>}
 */
public final class InsightsBenchmark {
    private static final String WORKSPACE = "bench";
    private static final int MEMBERS = 100_000;
    private static final int BUYERS = 200_000;
    private static final int ORDERS = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Orders while a member, per month, and each month's entrants converting within 30 days: hand-written. */
    private static final String HAND_WRITTEN_METRICS = """
            WITH paired AS (
                SELECT profile_id, entered, at, lead(at) OVER w AS next_at, lead(entered) OVER w AS next_entered
                FROM membership_change WHERE workspace = 'bench' AND segment_id = 'members'
                WINDOW w AS (PARTITION BY profile_id ORDER BY sequence)),
            intervals AS (
                SELECT profile_id, at AS from_at, CASE WHEN next_entered = false THEN next_at END AS to_at
                FROM paired WHERE entered),
            revenue AS (
                SELECT date_trunc('month', f.at AT TIME ZONE 'UTC') AS month, count(*) AS orders, sum(f.amount) AS gross
                FROM profile_fact f JOIN intervals i ON i.profile_id = f.profile_id AND f.at >= i.from_at
                     AND (i.to_at IS NULL OR f.at < i.to_at)
                WHERE f.workspace = 'bench' AND f.kind = 'ORDER' AND f.at >= ? AND f.at < ?
                GROUP BY 1),
            entrants AS (
                SELECT date_trunc('month', i.from_at AT TIME ZONE 'UTC') AS month, i.profile_id, min(i.from_at) AS entered
                FROM intervals i WHERE i.from_at >= ? AND i.from_at < ? GROUP BY 1, 2),
            conversion AS (
                SELECT e.month, count(*) AS entrants, count(*) FILTER (WHERE EXISTS (
                    SELECT 1 FROM profile_fact f WHERE f.workspace = 'bench' AND f.profile_id = e.profile_id
                      AND f.kind = 'ORDER' AND f.at >= e.entered AND f.at <= e.entered + interval '30 days')) AS converted
                FROM entrants e GROUP BY 1)
            SELECT coalesce(sum(r.orders), 0), coalesce(sum(r.gross), 0),
                   (SELECT coalesce(sum(entrants), 0) FROM conversion), (SELECT coalesce(sum(converted), 0) FROM conversion)
            FROM revenue r""";

    /** Profiles per exact combination of the 6 segments, now: hand-written. */
    private static final String HAND_WRITTEN_OVERLAP = """
            WITH latest AS (
                SELECT DISTINCT ON (segment_id, profile_id) segment_id, profile_id, entered
                FROM membership_change WHERE workspace = 'bench' AND segment_id LIKE 'overlap-%'
                ORDER BY segment_id, profile_id, sequence DESC)
            SELECT mask, count(*) FROM (
                SELECT profile_id, bit_or(1 << substr(segment_id, 9)::int) AS mask FROM latest WHERE entered
                GROUP BY profile_id) m GROUP BY mask""";

    private InsightsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Path work = root.resolve("benchmarks/target/insights");
        try (LocalInfrastructure infra = LocalInfrastructure.start(work.resolve("infra"), System.getenv(), 0)) {
            Map<String, String> env = new LinkedHashMap<>(infra.serviceEnvironment("insights"));
            try (ServiceProcess service = ServiceProcess.start("insights-service",
                    root.resolve("insights-service/target/quarkus-app/quarkus-run.jar"), FreePorts.next(), env,
                    work.resolve("insights-service.log"),
                    List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + work.resolve("tmp")));
                 Connection db = DriverManager.getConnection(infra.postgres().jdbcUrl("insights"),
                         infra.postgres().user(), infra.postgres().password());
                 Statement s = db.createStatement()) {
                service.awaitReady(Duration.ofSeconds(180));
                load(s);
                String token = DevTokens.mint(infra.oidc().issuer(), WORKSPACE, "analyst");
                LocalDate to = LocalDate.now(ZoneOffset.UTC);
                LocalDate from = to.minusDays(364).withDayOfMonth(1);
                String metricsUrl = service.url() + "/v1/segments/members/metrics?bucket=month&conversionDays=30&from="
                        + from + "&to=" + to;

                JsonNode[] api = new JsonNode[1];
                double apiMillis = median("API: conversion, revenue and engagement per month (13 buckets)", () -> {
                    api[0] = get(metricsUrl, token);
                    return null;
                });
                long apiOrders = 0;
                double apiGross = 0;
                long apiEntrants = 0;
                long apiConverted = 0;
                for (JsonNode bucket : api[0].path("buckets")) {
                    apiOrders += bucket.path("orders").asLong();
                    apiGross += bucket.path("grossRevenue").asDouble();
                    apiEntrants += bucket.path("entrants").asLong();
                    apiConverted += bucket.path("converted").asLong();
                }
                long[] sql = new long[4];
                double[] sqlGross = new double[1];
                double sqlMillis = median("hand-written SQL: orders and revenue while a member, conversion within 30 days, "
                        + "per month", () -> {
                    try (var statement = db.prepareStatement(HAND_WRITTEN_METRICS)) {
                        Timestamp start = Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
                        Timestamp end = Timestamp.from(to.plusMonths(1).withDayOfMonth(1)
                                .atStartOfDay(ZoneOffset.UTC).toInstant());
                        statement.setTimestamp(1, start);
                        statement.setTimestamp(2, end);
                        statement.setTimestamp(3, start);
                        statement.setTimestamp(4, end);
                        try (ResultSet rs = statement.executeQuery()) {
                            rs.next();
                            sql[0] = rs.getLong(1);
                            sqlGross[0] = rs.getDouble(2);
                            sql[2] = rs.getLong(3);
                            sql[3] = rs.getLong(4);
                        }
                    }
                    return null;
                });
                System.out.printf("API: %,d orders while a member, %,.2f gross, %,d entrants, %,d converted; "
                                + "SQL: %,d orders, %,.2f gross, %,d entrants, %,d converted; API/SQL = %.2f%n",
                        apiOrders, apiGross, apiEntrants, apiConverted, sql[0], sqlGross[0], sql[2], sql[3],
                        apiMillis / sqlMillis);
                if (apiOrders != sql[0] || Math.abs(apiGross - sqlGross[0]) > 0.01 || apiEntrants != sql[2]
                        || apiConverted != sql[3]) {
                    throw new IllegalStateException("the API and the hand-written SQL disagree");
                }

                StringBuilder ids = new StringBuilder();
                for (int i = 0; i < 6; i++) {
                    ids.append(i == 0 ? "" : ",").append("overlap-").append(i);
                }
                JsonNode[] overlap = new JsonNode[1];
                double overlapMillis = median("API: overlap of 6 segments of 100,000 members (matrix and combinations)", () -> {
                    overlap[0] = get(service.url() + "/v1/overlap?segments=" + ids, token);
                    return null;
                });
                Map<Long, Long> sqlCombinations = new LinkedHashMap<>();
                double sqlOverlapMillis = median("hand-written SQL: profiles per exact combination of the 6", () -> {
                    sqlCombinations.clear();
                    try (ResultSet rs = s.executeQuery(HAND_WRITTEN_OVERLAP)) {
                        while (rs.next()) {
                            sqlCombinations.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                    return null;
                });
                long apiProfiles = 0;
                for (JsonNode combination : overlap[0].path("combinations")) {
                    apiProfiles += combination.path("profiles").asLong();
                }
                long sqlProfiles = sqlCombinations.values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("overlap: API %d combinations over %,d profiles, SQL %d over %,d; API/SQL = %.2f%n",
                        overlap[0].path("combinations").size(), apiProfiles, sqlCombinations.size(), sqlProfiles,
                        overlapMillis / sqlOverlapMillis);
                if (apiProfiles != sqlProfiles || overlap[0].path("combinations").size() != sqlCombinations.size()) {
                    throw new IllegalStateException("the overlap and the hand-written SQL disagree");
                }
            }
        }
    }

    /**
     * The tables as insights-service's consumers leave them: the segment 'members' (100,000 entered over the past
     * year, every fifth exited 20 days later), 1,000,000 orders of 200,000 profiles (half of them members) with 5 %
     * refunded, and six segments 'overlap-0..5' of 100,000 members each among 300,000 profiles.
     */
    private static void load(Statement s) throws Exception {
        long t0 = System.nanoTime();
        s.execute("""
                INSERT INTO membership_change (workspace, segment_id, profile_id, sequence, entered, at, holdout)
                SELECT 'bench', 'members', 'p' || g, 1, true, now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second', g % 10 = 0
                FROM generate_series(1, $MEMBERS) g""".replace("$MEMBERS", Integer.toString(MEMBERS)));
        s.execute("""
                INSERT INTO membership_change (workspace, segment_id, profile_id, sequence, entered, at, holdout)
                SELECT 'bench', 'members', 'p' || g, 2, false, now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second' + interval '20 days', g % 10 = 0
                FROM generate_series(1, $MEMBERS) g WHERE g % 5 = 0 AND g % 365 > 20""".replace("$MEMBERS", Integer.toString(MEMBERS)));
        s.execute("""
                INSERT INTO profile_fact (workspace, event_id, profile_id, kind, order_id, amount, at)
                SELECT 'bench', 'o' || g, 'p' || (g % $BUYERS * 1 + 1) , 'ORDER', 'o' || g, (g % 200) + 0.5,
                       now() - (g % 365) * interval '1 day' - (g * 7 % 86400) * interval '1 second'
                FROM generate_series(1, $ORDERS) g""".replace("$BUYERS", Integer.toString(BUYERS))
                .replace("$ORDERS", Integer.toString(ORDERS)));
        s.execute("""
                INSERT INTO profile_fact (workspace, event_id, profile_id, kind, order_id, amount, at)
                SELECT 'bench', 'r' || g, 'p' || (g % $BUYERS * 1 + 1), 'REFUND', 'o' || g, 10,
                       now() - (g % 365) * interval '1 day' + interval '1 hour'
                FROM generate_series(1, $ORDERS) g WHERE g % 20 = 0""".replace("$BUYERS", Integer.toString(BUYERS))
                .replace("$ORDERS", Integer.toString(ORDERS)));
        s.execute("""
                INSERT INTO membership_change (workspace, segment_id, profile_id, sequence, entered, at, holdout)
                SELECT 'bench', 'overlap-' || k, 'q' || ((g::bigint * (k + 1) * 7919) % 300000), 1, true, now() - interval '10 days', false
                FROM generate_series(0, 5) k, generate_series(1, $MEMBERS) g
                ON CONFLICT DO NOTHING""".replace("$MEMBERS", Integer.toString(MEMBERS)));
        s.execute("VACUUM ANALYZE membership_change");
        s.execute("VACUUM ANALYZE profile_fact");
        System.out.printf("loaded %,d membership changes, %,d facts in %d ms%n",
                count(s, "SELECT count(*) FROM membership_change"), count(s, "SELECT count(*) FROM profile_fact"),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** One warm-up, then five timed runs; prints them and returns the median in milliseconds. */
    private static double median(String what, Callable<Void> run) throws Exception {
        run.call();
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            run.call();
            runs.add((System.nanoTime() - t0) / 1e6);
        }
        List<Double> sorted = new ArrayList<>(runs);
        Collections.sort(sorted);
        System.out.printf("%s, 5 runs: %s ms, median %.0f ms%n", what,
                runs.stream().map(d -> String.format("%.0f", d)).toList(), sorted.get(2));
        return sorted.get(2);
    }

    private static JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
