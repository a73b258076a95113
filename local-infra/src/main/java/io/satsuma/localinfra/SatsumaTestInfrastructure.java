package io.satsuma.localinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test resource for a service's {@code @QuarkusTest}s: starts the shared infrastructure once per
 * test JVM (all test classes of a module reuse it) and points the service at its own database.
 * Init args: {@code database}, the service's database name; {@code redis=true} if it uses Redis. The servers are stopped when the JVM
 * exits, whatever the tests' outcome.
 */
public class SatsumaTestInfrastructure implements QuarkusTestResourceLifecycleManager {
    private static LocalInfrastructure shared;

    private String database = "postgres";
    private boolean redis;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
        redis = Boolean.parseBoolean(initArgs.getOrDefault("redis", "false"));
    }

    @Override
    public Map<String, String> start() {
        return infrastructure().quarkusConfig(database, redis);
    }

    /** The infrastructure of this test JVM, started on first use. */
    public static synchronized LocalInfrastructure infrastructure() {
        if (shared == null) {
            Path dir = Path.of(System.getProperty("satsuma.infra.dir", "target/infra"));
            LocalInfrastructure started = LocalInfrastructure.start(dir, System.getenv(), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "satsuma-infra-stop"));
            shared = started;
        }
        return shared;
    }

    @Override
    public void stop() {
        // Kept running for the next test class of this JVM; the shutdown hook stops it.
    }
}
