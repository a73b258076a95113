package io.satsuma.platform;

import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.LocalInfrastructure;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole platform on one machine: the local infrastructure plus the four packaged services as
 * separate processes. Used by the run command and by the end-to-end tests, so both exercise the
 * same wiring. {@link #close()} stops the services, then the infrastructure.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Platform.class.getName());

    /** Service name → its database; also the module directory of its build. */
    public static final Map<String, String> SERVICES = Map.of(
            "profile-service", "profile", "segment-service", "segment",
            "activation-service", "activation", "insights-service", "insights");
    public static final List<String> ORDER = List.of("profile-service", "segment-service", "activation-service",
            "insights-service");

    private final LocalInfrastructure infrastructure;
    private final Map<String, ServiceProcess> services;

    private Platform(LocalInfrastructure infrastructure, Map<String, ServiceProcess> services) {
        this.infrastructure = infrastructure;
        this.services = services;
    }

    /**
     * @param root     the project root (where the service modules were built)
     * @param workDir  data and logs; embedded servers' data is wiped on start
     * @param ports    port per service name; 0 picks a free one
     * @param oidcPort the dev issuer's port, 0 for any
     */
    public static Platform start(Path root, Path workDir, Map<String, Integer> ports, int oidcPort,
                                 Map<String, String> env) {
        LocalInfrastructure infra = LocalInfrastructure.startWithBrokerProcess(workDir.resolve("infra"), env, oidcPort);
        Map<String, ServiceProcess> started = new LinkedHashMap<>();
        try {
            String secretKey = env.getOrDefault("SATSUMA_SECRET_KEY", randomKey());
            Map<String, Integer> chosen = new LinkedHashMap<>();
            for (String name : ORDER) {
                chosen.put(name, ports.getOrDefault(name, 0) == 0 ? FreePorts.next() : ports.get(name));
            }
            Map<String, String> console = consoleEnvironment(chosen);
            for (String name : ORDER) {
                Map<String, String> serviceEnv = new LinkedHashMap<>(infra.serviceEnvironment(SERVICES.get(name)));
                serviceEnv.put("SATSUMA_SECRET_KEY", secretKey);
                serviceEnv.putAll(console);
                int port = chosen.get(name);
                started.put(name, ServiceProcess.start(name, root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar"),
                        port, serviceEnv, workDir.resolve("logs").resolve(name + ".log"),
                        List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + workDir.resolve("tmp"))));
            }
            for (ServiceProcess service : started.values()) {
                service.awaitReady(Duration.ofSeconds(180));
                LOG.info(() -> String.format("%s ready on %s in %d ms (RSS %d MiB)", service.name(), service.url(),
                        service.readyAfterMillis(), service.rssMiB()));
            }
            return new Platform(infra, started);
        } catch (RuntimeException e) {
            new Platform(infra, started).close();
            throw e;
        }
    }

    /**
     * The console is served by insights-service (ADR 015) and calls the other services from the browser: they allow
     * its origin (CORS), and it learns their URLs from its settings.
     */
    private static Map<String, String> consoleEnvironment(Map<String, Integer> ports) {
        int consolePort = ports.get("insights-service");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SATSUMA_CONSOLE_ORIGINS", "http://127.0.0.1:" + consolePort + ",http://localhost:" + consolePort);
        env.put("SATSUMA_CONSOLE_PROFILE_URL", "http://127.0.0.1:" + ports.get("profile-service"));
        env.put("SATSUMA_CONSOLE_SEGMENT_URL", "http://127.0.0.1:" + ports.get("segment-service"));
        env.put("SATSUMA_CONSOLE_ACTIVATION_URL", "http://127.0.0.1:" + ports.get("activation-service"));
        return env;
    }

    /** The web console's address. */
    public String consoleUrl() {
        return url("insights-service") + "/console/";
    }

    public String kafkaBootstrapServers() {
        return infrastructure.kafka().bootstrapServers();
    }

    /**
     * Waits until every service's consumer group has consumed everything on its topics (twice in a
     * row, as outboxes publish as they go), i.e. all events sent so far are fully processed.
     */
    public boolean awaitIdle(Duration timeout) {
        try (ConsumerLag lag = new ConsumerLag(infrastructure.kafka().bootstrapServers())) {
            return !lag.awaitIdle(timeout).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "could not read consumer lag", e);
        }
        return false;
    }

    public LocalInfrastructure infrastructure() {
        return infrastructure;
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Kills a service as a crash would (SIGKILL) and starts it again; returns when it is ready. */
    public ServiceProcess crashAndRestart(String name) {
        ServiceProcess crashed = services.get(name);
        crashed.kill();
        ServiceProcess restarted = crashed.startAgain();
        services.put(name, restarted);
        restarted.awaitReady(Duration.ofSeconds(180));
        return restarted;
    }

    /**
     * SIGTERM to every service at once, as a node drain sends it, then each started again: how long each took to exit
     * (empty if it had not within {@code grace} and was killed, as Kubernetes would at the grace period's end).
     */
    public Map<String, Optional<Duration>> drainAndRestart(Duration grace) {
        Map<String, Optional<Duration>> exits = ServiceProcess.terminateAll(services, grace);
        for (String name : ORDER) {
            services.put(name, services.get(name).startAgain());
        }
        services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(180)));
        return exits;
    }

    public String url(String name) {
        return services.get(name).url();
    }

    public List<ServiceProcess> services() {
        return new ArrayList<>(services.values());
    }

    @Override
    public void close() {
        List<ServiceProcess> running = new ArrayList<>(services.values());
        running.parallelStream().forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not stop " + s.name(), e);
            }
        });
        infrastructure.close();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
