package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.LocalInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM stops a service within Kubernetes' grace period also when what it would flush to is gone (issue 15 §3):
 * the four packaged services on infrastructure of their own, then PostgreSQL stopped and the Kafka broker shut down,
 * then SIGTERM to each. A service that waits on its database or broker while stopping would be killed at the end of
 * the grace period instead of exiting.
 */
class GracefulShutdownIT {
    private static final Path ROOT = Path.of(System.getProperty("satsuma.root", "..")).toAbsolutePath().normalize();
    /** Kubernetes' default terminationGracePeriodSeconds, which deploy/ keeps. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Test
    void everyServiceExitsWithinTheGracePeriodWhenPostgresAndKafkaAreGone() throws Exception {
        Path work = ROOT.resolve("local-platform/target/graceful-shutdown");
        Map<String, Duration> exits = new LinkedHashMap<>();
        try (LocalInfrastructure infra = LocalInfrastructure.start(work.resolve("infra"), Map.of(), 0)) {
            Map<String, ServiceProcess> services = new LinkedHashMap<>();
            try {
                for (String name : Platform.ORDER) {
                    Map<String, String> env = new LinkedHashMap<>(infra.serviceEnvironment(Platform.SERVICES.get(name)));
                    env.put("SATSUMA_SECRET_KEY", Base64.getEncoder().encodeToString(new byte[32]));
                    services.put(name, ServiceProcess.start(name, ROOT.resolve(name).resolve("target/quarkus-app/quarkus-run.jar"),
                            FreePorts.next(), env, work.resolve(name + ".log"), List.of("-Xmx384m", "-XX:+UseSerialGC")));
                }
                services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(180)));

                infra.postgres().stop();
                infra.kafka().close();
                Thread.sleep(3_000); // long enough for the consumers, relays and pools to be failing

                // SIGTERM to all at once, as a node drain would; each timed on its own.
                Map<String, CompletableFuture<Optional<Duration>>> stopping = new LinkedHashMap<>();
                services.forEach((name, service) -> stopping.put(name, CompletableFuture.supplyAsync(() -> {
                    try {
                        return service.terminate(GRACE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                })));
                for (Map.Entry<String, CompletableFuture<Optional<Duration>>> stop : stopping.entrySet()) {
                    Optional<Duration> exited = stop.getValue().get();
                    assertThat(exited).as("%s exited within %s of SIGTERM (log: %s)", stop.getKey(), GRACE,
                            services.get(stop.getKey()).log()).isPresent();
                    exits.put(stop.getKey(), exited.get());
                }
            } finally {
                services.values().forEach(ServiceProcess::close);
            }
        }
        System.out.printf("exit after SIGTERM with PostgreSQL and Kafka gone: %s%n", exits);
        assertThat(exits.values()).allSatisfy(d -> assertThat(d).isLessThan(GRACE));
    }
}
