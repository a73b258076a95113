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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backfill of a 5-condition segment over 1,000,000 synthetic profiles, end to end on the running
 * segment-service (POST the segment, poll its job until DONE), against the same segment written as
 * hand-tuned SQL on the same PostgreSQL, and checked to give the same members.
 *
 * <p>The profiles are written straight into segment-service's own tables (profile_state, profile_event)
 * as its consumers would have left them: 1,000,000 profiles with traits and aggregates, 250,000 orders
 * and 1,000,000 page views (which the segment does not read).
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.BackfillBenchmark <project root> [random-ids]}
 */
public final class BackfillBenchmark {
    private static final int PROFILES = 1_000_000;
    private static final String WORKSPACE = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The segment: five conditions over traits, profile aggregates and a 90-day event window. */
    private static final String SEGMENT = """
            {"name": "Engaged European payers", "condition": {"all": [
              {"trait": "country", "op": "in", "value": ["GB", "DE", "FR"]},
              {"trait": "plan", "op": "ne", "value": "free"},
              {"trait": "$profile.orderCount", "op": "gte", "value": 2},
              {"trait": "$profile.totalRevenue", "op": "gt", "value": 100},
              {"event": "Order Completed", "within": "P90D", "op": "gte", "value": 1}]}}""";

    /** The same segment, hand-written: members materialised into a table, as a batch job would. */
    private static final String HAND_WRITTEN = """
            INSERT INTO sql_member (profile_id)
            SELECT p.profile_id FROM profile_state p
            WHERE p.workspace = 'bench' AND p.status = 'ACTIVE'
              AND p.traits->>'country' IN ('GB', 'DE', 'FR')
              AND p.traits->>'plan' <> 'free'
              AND (p.aggregates->>'orderCount')::numeric >= 2
              AND (p.aggregates->>'totalRevenue')::numeric > 100
              AND EXISTS (SELECT 1 FROM profile_event e
                          WHERE e.workspace = p.workspace AND e.profile_id = p.profile_id AND e.name = 'Order Completed'
                            AND e.occurred_at > now() - interval '90 days' AND e.occurred_at <= now())""";

    /**
     * The same, also doing what the backfill writes besides the members: a history row and an outgoing
     * event per entry (into tables shaped like the service's own), in one transaction.
     */
    private static final String[] HAND_WRITTEN_WITH_EFFECTS = {
            HAND_WRITTEN,
            """
            INSERT INTO sql_history (workspace, segment_id, profile_id, entered_at, enter_cause)
            SELECT 'bench', 'sql', profile_id, now(), 'backfill' FROM sql_member""",
            """
            INSERT INTO sql_outbox (topic, record_key, ce_id, ce_type, ce_time, workspace, payload)
            SELECT 'satsuma.memberships.v1', profile_id, gen_random_uuid()::text, 'io.satsuma.membership.changed.v1',
                   now(), 'bench', jsonb_build_object('segmentId', 'sql', 'segmentName', 'Engaged European payers',
                       'profileId', profile_id, 'change', 'ENTERED', 'at', now(), 'holdout', false, 'sequence', 1)::text
            FROM sql_member"""};

    private BackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        boolean randomIds = args.length > 1 && args[1].equals("random-ids");
        System.out.println(randomIds ? "profile ids: random (hashes), as profile-service's UUIDs"
                : "profile ids: in the order of the table's rows");
        Path work = root.resolve("benchmarks/target/backfill");
        try (LocalInfrastructure infra = LocalInfrastructure.start(work.resolve("infra"), System.getenv(), 0)) {
            Map<String, String> env = new LinkedHashMap<>(infra.serviceEnvironment("segment"));
            try (ServiceProcess service = ServiceProcess.start("segment-service",
                    root.resolve("segment-service/target/quarkus-app/quarkus-run.jar"), FreePorts.next(), env,
                    work.resolve("segment-service.log"),
                    List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + work.resolve("tmp")));
                 Connection db = DriverManager.getConnection(infra.postgres().jdbcUrl("segment"),
                         infra.postgres().user(), infra.postgres().password());
                 Statement s = db.createStatement()) {
                service.awaitReady(Duration.ofSeconds(180));
                load(s, PROFILES, randomIds);

                List<Double> sqlRuns = new ArrayList<>();
                long sqlMembers = 0;
                s.execute("CREATE TABLE sql_member (profile_id TEXT PRIMARY KEY)");
                for (int run = 0; run < 3; run++) {
                    s.execute("TRUNCATE sql_member");
                    long t0 = System.nanoTime();
                    sqlMembers = s.executeUpdate(HAND_WRITTEN);
                    sqlRuns.add((System.nanoTime() - t0) / 1e6);
                }
                Collections.sort(sqlRuns);
                System.out.printf("hand-written SQL (members into a table), 3 runs: %s ms, median %.0f ms, %,d members%n",
                        sqlRuns.stream().map(d -> String.format("%.0f", d)).toList(), sqlRuns.get(1), sqlMembers);
                s.execute("CREATE TABLE sql_history (LIKE membership_history INCLUDING ALL)");
                s.execute("CREATE TABLE sql_outbox (LIKE outbox INCLUDING ALL)");
                List<Double> effectsRuns = new ArrayList<>();
                db.setAutoCommit(false);
                for (int run = 0; run < 3; run++) {
                    s.execute("TRUNCATE sql_member, sql_history, sql_outbox");
                    db.commit();
                    long t1 = System.nanoTime();
                    for (String statement : HAND_WRITTEN_WITH_EFFECTS) {
                        s.executeUpdate(statement);
                    }
                    db.commit();
                    effectsRuns.add((System.nanoTime() - t1) / 1e6);
                }
                db.setAutoCommit(true);
                Collections.sort(effectsRuns);
                System.out.printf("hand-written SQL with the backfill's other writes (history, outgoing events), 3 runs: %s ms, "
                        + "median %.0f ms%n", effectsRuns.stream().map(d -> String.format("%.0f", d)).toList(), effectsRuns.get(1));

                String token = DevTokens.mint(infra.oidc().issuer(), WORKSPACE, "admin");
                // Three backfills of three segments with the same condition (each enters the same 25,159), as the
                // SQL ran three times: the first on a JIT still cold, like the SQL's first run on cold caches.
                List<Double> backfillRuns = new ArrayList<>();
                for (int run = 1; run <= 3; run++) {
                    backfillRuns.add(backfill(service, s, token, run, sqlMembers));
                }
                List<Double> sorted = new ArrayList<>(backfillRuns);
                Collections.sort(sorted);
                System.out.printf("segment-service backfill, 3 runs: %s ms, median %.0f ms; ratio backfill/SQL = %.2f, "
                                + "backfill/SQL with the same writes = %.2f (medians)%n",
                        backfillRuns.stream().map(d -> String.format("%.0f", d)).toList(), sorted.get(1),
                        sorted.get(1) / sqlRuns.get(1), sorted.get(1) / effectsRuns.get(1));
            }
        }
    }

    /** One backfill, POST to DONE (ms), checked to enter exactly the members the hand-written SQL found. */
    private static double backfill(ServiceProcess service, Statement s, String token, int run, long sqlMembers)
            throws Exception {
        long t0 = System.nanoTime();
        JsonNode created = send(HttpRequest.newBuilder(URI.create(service.url() + "/v1/segments"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SEGMENT.replace("payers", "payers " + run))), 201);
        String segmentId = created.get("id").asText();
        JsonNode job;
        do {
            Thread.sleep(100);
            job = send(HttpRequest.newBuilder(URI.create(service.url() + "/v1/segments/" + segmentId + "/backfill"))
                    .header("Authorization", "Bearer " + token).GET(), 200);
        } while (!"DONE".equals(job.get("status").asText()));
        double wallMillis = (System.nanoTime() - t0) / 1e6;
        long jobMillis = Duration.between(Instant.parse(job.get("startedAt").asText()),
                Instant.parse(job.get("finishedAt").asText())).toMillis();

        long members = count(s, "SELECT count(*) FROM membership WHERE workspace = 'bench' AND segment_id = '"
                + segmentId + "' AND member");
        long differing = count(s, "SELECT count(*) FROM (SELECT profile_id FROM membership WHERE workspace = 'bench' "
                + "AND segment_id = '" + segmentId + "' AND member) m FULL JOIN sql_member q USING (profile_id) "
                + "WHERE m.profile_id IS NULL OR q.profile_id IS NULL");
        System.out.printf("segment-service backfill %d: %,d profiles evaluated, %,d entered, job %,d ms, POST to DONE "
                        + "%,.0f ms (%.0f profiles/s); %,d history rows in all (each change also queued for publishing); "
                        + "same members as the SQL: %s (%d differ)%n", run, job.get("done").asLong(),
                job.get("changed").asLong(), jobMillis, wallMillis, job.get("done").asLong() / (wallMillis / 1000),
                count(s, "SELECT count(*) FROM membership_history WHERE workspace = 'bench'"),
                differing == 0 && members == sqlMembers, differing);
        if (differing != 0 || members != sqlMembers) {
            throw new IllegalStateException("the backfill and the hand-written SQL disagree");
        }
        return wallMillis;
    }

    /**
     * {@code profiles} profiles as segment-service's consumers store them, a quarter with an order. Their ids
     * sort in generation order, so in the order their rows lie in the table.
     */
    static void load(Statement s, int profiles) throws Exception {
        load(s, profiles, false);
    }

    /**
     * As above; with {@code randomIds} the ids are hashes, in an order unrelated to where their rows lie, as
     * profile-service's random UUIDs are: id order then reads the table's pages in random order.
     */
    static void load(Statement s, int profiles, boolean randomIds) throws Exception {
        String id = randomIds ? "md5(g::text)" : "'p' || lpad(g::text, 7, '0')";
        long t0 = System.nanoTime();
        s.execute("""
                INSERT INTO profile_state (workspace, profile_id, snapshot_version, status, traits, aggregates)
                SELECT 'bench', $ID, 1, 'ACTIVE',
                       jsonb_build_object('country', (ARRAY['GB','DE','FR','US','ES'])[g % 5 + 1],
                                          'plan', (ARRAY['free','pro','enterprise'])[g % 3 + 1],
                                          'email', 'user' || g || '@example.com'),
                       jsonb_build_object('orderCount', g % 7, 'totalRevenue', (g % 1000) / 2.0,
                                          'eventCount', g % 50,
                                          'lastSeenAt', to_char(now() - (g % 200) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                FROM generate_series(1, $PROFILES) g""".replace("$PROFILES", Integer.toString(profiles)).replace("$ID", id));
        s.execute("""
                INSERT INTO profile_event (workspace, event_id, profile_id, name, occurred_at, properties)
                SELECT 'bench', 'o' || g, $ID, 'Order Completed',
                       now() - (g % 180) * interval '1 day' - interval '1 hour', jsonb_build_object('revenue', g % 200)
                FROM generate_series(1, $PROFILES) g WHERE g % 4 = 0""".replace("$PROFILES", Integer.toString(profiles)).replace("$ID", id));
        s.execute("""
                INSERT INTO profile_event (workspace, event_id, profile_id, name, occurred_at, properties)
                SELECT 'bench', 'v' || g, $ID, 'Page Viewed',
                       now() - (g % 30) * interval '1 day', jsonb_build_object('path', '/products/' || (g % 500))
                FROM generate_series(1, $PROFILES) g""".replace("$PROFILES", Integer.toString(profiles)).replace("$ID", id));
        s.execute("VACUUM ANALYZE profile_state");
        s.execute("VACUUM ANALYZE profile_event");
        System.out.printf("loaded %,d profiles, %,d events in %d ms%n", count(s, "SELECT count(*) FROM profile_state"),
                count(s, "SELECT count(*) FROM profile_event"), (System.nanoTime() - t0) / 1_000_000);
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
