package io.satsuma.localinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server: either a real one started from Maven Central binaries (zonky), or an
 * external one reached through its JDBC base URL. Each service gets its own database.
 */
public final class Postgres implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final Path dataDir;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private Postgres(EmbeddedPostgres embedded, Path dataDir, String host, int port, String user, String password) {
        this.embedded = embedded;
        this.dataDir = dataDir;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** Starts PostgreSQL with its data directory under {@code dataDir} (wiped first). */
    public static Postgres startEmbedded(Path dataDir) {
        Directories.wipe(dataDir);
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(FreePorts.next())
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .start();
            return new Postgres(pg, dataDir, "127.0.0.1", pg.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /** An external server; its user must be allowed to create databases. */
    public static Postgres external(String host, int port, String user, String password) {
        return new Postgres(null, null, host, port, user, password);
    }

    /** Creates the database if it does not exist yet and returns its JDBC URL. */
    public String ensureDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a lowercase identifier: " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    c.createStatement().execute("CREATE DATABASE " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /**
     * Stops the embedded server (fast shutdown: sessions are terminated, as in a real restart), keeps it down for
     * {@code downtime}, and starts it again on the same port and data, as the same command line. For fault tests.
     */
    public void restart(Duration downtime) {
        stop();
        sleep(downtime);
        start();
    }

    /** Stops the embedded server (fast shutdown); {@link #start()} brings it back with its data. */
    public void stop() {
        requireEmbedded();
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            postmasterCommand = Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\u0000");
            // Started again with the environment zonky gave it (PGDATA, PGSYSCONFDIR, ...).
            postmasterEnvironment = Files.readString(Path.of("/proc/" + pid + "/environ")).split("\u0000");
            // SIGINT is PostgreSQL's fast shutdown (pg_ctl -m fast refuses to run as root, as these tests may).
            run(List.of("kill", "-INT", Long.toString(pid)));
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop PostgreSQL", e);
        }
    }

    /** Starts the embedded server again after {@link #stop()}, and waits until it accepts connections. */
    public void start() {
        requireEmbedded();
        if (postmasterCommand == null) {
            throw new IllegalStateException("PostgreSQL was not stopped");
        }
        try {
            Files.createDirectories(dataDir.getParent());
            List<String> command = new ArrayList<>(List.of(postmasterCommand));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(0, List.of("unshare", "-U")); // PostgreSQL refuses root; zonky does the same
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling("postgres-restarted.log").toFile()));
            builder.environment().clear();
            for (String variable : postmasterEnvironment) {
                int eq = variable.indexOf('=');
                if (eq > 0) {
                    builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
                }
            }
            builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password)) {
                return;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not come back", notYet);
                }
                sleep(Duration.ofMillis(100));
            }
        }
    }

    private String[] postmasterCommand;
    private String[] postmasterEnvironment;

    private void requireEmbedded() {
        if (embedded == null) {
            throw new IllegalStateException("only an embedded PostgreSQL can be stopped and started here");
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
