package io.satsuma.benchmarks;

import io.satsuma.localinfra.Postgres;
import io.satsuma.segment.adapter.persistence.JdbcTimers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The timer sweep's database cost on real PostgreSQL: 1,000,000 profiles with a timer, 1,000 of them
 * due. Measures the sweep's own query ({@link JdbcTimers#DUE}, on the table and index of migration V2) against
 * the baseline of looking at every profile's timer, as a nightly batch would.
 *
 * <p>Usage: {@code java -cp … io.satsuma.benchmarks.TimerSweepBenchmark <segment-service dir>}
 */
public final class TimerSweepBenchmark {
    private static final int PROFILES = 1_000_000;
    private static final int DUE = 1_000;
    private static final int RUNS = 30;

    private TimerSweepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path migrations = Path.of(args.length > 0 ? args[0] : "segment-service").resolve("src/main/resources/db/migration");
        try (Postgres pg = Postgres.startEmbedded(Path.of("target/bench-postgres"));
             Connection c = DriverManager.getConnection(pg.ensureDatabase("bench"), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            s.execute(Files.readString(migrations.resolve("V2__membership_timers.sql")));
            long t0 = System.nanoTime();
            s.execute("""
                    INSERT INTO membership_timer (workspace, profile_id, due_at)
                    SELECT 'bench', 'p' || g,
                           CASE WHEN g <= %d THEN now() - (g || ' seconds')::interval
                                ELSE now() + (((g %% 86400) + 1) || ' minutes')::interval END
                    FROM generate_series(1, %d) g""".formatted(DUE, PROFILES));
            s.execute("VACUUM ANALYZE membership_timer");
            System.out.printf("loaded %,d timers (%,d due) in %d ms%n", PROFILES, DUE, (System.nanoTime() - t0) / 1_000_000);

            double sweep = medianMillis(c, JdbcTimers.DUE, DUE, true);
            double scanAll = medianMillis(c, "SELECT workspace, profile_id, due_at FROM membership_timer "
                    + "WHERE due_at + interval '0 seconds' <= now()", DUE, false);
            System.out.printf("sweep query (index on due_at), %d due of %,d: median %.2f ms%n", DUE, PROFILES, sweep);
            System.out.printf("baseline, every profile's timer looked at (as a batch re-evaluation would): median %.2f ms%n", scanAll);
            try (ResultSet plan = s.executeQuery("EXPLAIN " + JdbcTimers.DUE.replaceFirst("\\?", "now()")
                    .replaceFirst("\\?", Integer.toString(DUE)))) {
                while (plan.next()) {
                    System.out.println("  plan: " + plan.getString(1));
                }
            }
        }
    }

    /** @param sweepParameters bind (now, limit) as the sweep does */
    private static double medianMillis(Connection c, String sql, int expectedRows, boolean sweepParameters)
            throws Exception {
        List<Double> times = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int run = 0; run < RUNS; run++) {
                if (sweepParameters) {
                    ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.setInt(2, expectedRows);
                }
                long t0 = System.nanoTime();
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                times.add((System.nanoTime() - t0) / 1e6);
                if (rows != expectedRows) {
                    throw new IllegalStateException("expected " + expectedRows + " rows, got " + rows);
                }
            }
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }
}
