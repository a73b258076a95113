package io.satsuma.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One packaged Quarkus service running as its own JVM process, logging to a file. */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Path jar;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final Process process;
    private final long startedAtNanos;
    private long readyAfterMillis = -1;

    private ServiceProcess(String name, int port, Path log, Path jar, Map<String, String> env, List<String> jvmOptions,
                           Process process, long startedAtNanos) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.jar = jar;
        this.env = env;
        this.jvmOptions = jvmOptions;
        this.process = process;
        this.startedAtNanos = startedAtNanos;
    }

    /** Starts {@code java -jar quarkus-run.jar} with the given environment added to this one's. */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> env, Path log,
                                       List<String> jvmOptions) {
        return start(name, jar, port, env, log, jvmOptions, false);
    }

    private static ServiceProcess start(String name, Path jar, int port, Map<String, String> env, Path log,
                                        List<String> jvmOptions, boolean appendLog) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " is missing (run ./mvnw install -DskipTests)");
        }
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile())
                            : ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("SATSUMA_HTTP_PORT", Integer.toString(port));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            long started = System.nanoTime();
            return new ServiceProcess(name, port, log, jar, Map.copyOf(env), List.copyOf(jvmOptions), builder.start(),
                    started);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails fast if the process dies. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create(url() + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    readyAfterMillis = (System.nanoTime() - startedAtNanos) / 1_000_000;
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** Milliseconds from process start to ready, or -1 before it was ready. */
    public long readyAfterMillis() {
        return readyAfterMillis;
    }

    /** Resident set size in MiB (Linux), or -1 if unknown. */
    public long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Kills the process at once (SIGKILL): no shutdown hook runs, nothing is flushed, as in a crash. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Another instance of this service (same environment and JVM options) on another port, with a log of its own. */
    public ServiceProcess replica(int otherPort, Path otherLog) {
        return start(name, jar, otherPort, env, otherLog, jvmOptions, false);
    }

    /** The same service started again on the same port, logging on after its earlier lines. */
    public ServiceProcess startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        return start(name, jar, port, env, log, jvmOptions, true);
    }

    /**
     * Sends SIGTERM, as Kubernetes does, and waits up to {@code grace}: how long the process took to exit, or empty
     * if it had not (it is then killed, as Kubernetes would at the end of the grace period).
     */
    public Optional<Duration> terminate(Duration grace) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(Duration.ofNanos(System.nanoTime() - started));
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return Optional.empty();
    }

    /**
     * SIGTERM to every one of {@code services} at once, as a node drain sends it, each timed on its own: how long each
     * took to exit, or empty for one that had not within {@code grace} (killed then, as Kubernetes would).
     */
    public static Map<String, Optional<Duration>> terminateAll(Map<String, ServiceProcess> services, Duration grace) {
        Map<String, CompletableFuture<Optional<Duration>>> stopping = new LinkedHashMap<>();
        services.forEach((name, service) -> stopping.put(name, CompletableFuture.supplyAsync(() -> {
            try {
                return service.terminate(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        })));
        Map<String, Optional<Duration>> exits = new LinkedHashMap<>();
        stopping.forEach((name, exit) -> exits.put(name, exit.join()));
        return exits;
    }

    /** Stops the process gracefully (SIGTERM), forcibly after 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
