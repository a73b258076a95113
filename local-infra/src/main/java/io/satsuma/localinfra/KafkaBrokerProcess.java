package io.satsuma.localinfra;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker in a JVM of its own, with its logs kept on disk, so that it can be killed and started
 * again as the same cluster with the same topics, offsets and committed positions — what restarting a broker is in
 * production, and what a broker inside the caller's JVM (which deletes its logs when closed) cannot do.
 *
 * <p>The broker process reads its standard input until the end: when the JVM that started it goes away, even by
 * SIGKILL, the pipe closes and the broker stops, so no orphan is left listening.
 */
final class KafkaBrokerProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int kafkaPort;
    private final int controllerPort;
    private final String clusterId;
    private Process process;

    private KafkaBrokerProcess(Path dataDir, int kafkaPort, int controllerPort, String clusterId) {
        this.dataDir = dataDir;
        this.kafkaPort = kafkaPort;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /** Starts a new, empty broker keeping its logs in {@code dataDir} (wiped first), and waits until it answers. */
    static KafkaBrokerProcess start(Path dataDir) {
        Directories.wipe(dataDir);
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dataDir, FreePorts.next(), FreePorts.next(),
                Uuid.randomUuid().toString());
        broker.launch();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /**
     * Kills the broker (SIGKILL: no controlled shutdown, its logs are recovered on start), keeps it down for
     * {@code downtime}, and starts it again on the same ports and logs.
     */
    void killAndRestart(Duration downtime) {
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Thread.sleep(downtime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        launch();
    }

    private void launch() {
        try {
            Files.createDirectories(dataDir);
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    KafkaBrokerProcess.class.getName(), dataDir.resolve("logs").toString(),
                    Integer.toString(kafkaPort), Integer.toString(controllerPort), clusterId);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker process", e);
        }
        awaitAnswer();
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see "
                        + dataDir.resolve("broker.log"));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
                admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker did not answer within " + START_LIMIT, notYet);
                }
            }
        }
    }

    /** Stops the broker in an orderly way (its standard input ends), or kills it after 30 s. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The broker process: {@code <log dir> <port> <controller port> <cluster id>}. */
    public static void main(String[] args) throws IOException {
        String logDir = args[0];
        EmbeddedKafkaBroker broker = Kafka.broker(p -> {
            p.put("log.dir", logDir);
            // Restarted, the controller waits for the killed incarnation's session to expire before the new one may
            // register: 9 s by default, which would be most of a restart here.
            p.put("broker.session.timeout.ms", "2000");
            p.put("broker.heartbeat.interval.ms", "500");
        })
                .withKafkaPort(Integer.parseInt(args[1]))
                .withControllerPort(Integer.parseInt(args[2]))
                .withClusterId(args[3])
                .withDeleteLogDirsOnClose(false)
                .start();
        System.out.println("broker ready on " + broker.getAdvertisedListeners() + " after " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        while (System.in.read() != -1) {
            // Nothing is sent: the stream ends when the parent closes it or dies.
        }
        broker.close();
        System.exit(0);
    }
}
