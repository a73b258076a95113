package io.satsuma.localinfra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything Satsuma needs around it, written once for the tests and the local run: PostgreSQL with
 * a database per service, a Kafka broker with the Satsuma topics, Redis, and a development OIDC
 * issuer. Each server is started here unless an environment variable points at an external one:
 *
 * <ul>
 *   <li>{@code SATSUMA_POSTGRES_HOST}, {@code SATSUMA_POSTGRES_PORT}, {@code SATSUMA_POSTGRES_USER},
 *       {@code SATSUMA_POSTGRES_PASSWORD}: an external PostgreSQL (databases are created if missing);</li>
 *   <li>{@code SATSUMA_KAFKA_BOOTSTRAP_SERVERS}: an external Kafka (topics are created if missing);</li>
 *   <li>{@code SATSUMA_REDIS_URL}: an external Redis.</li>
 * </ul>
 *
 * <p>{@link #close()} stops what was started, in reverse order, even if one of them fails to stop.
 */
public final class LocalInfrastructure implements AutoCloseable {
    /** One database per service: no service ever touches another's tables. */
    public static final List<String> DATABASES = List.of("profile", "segment", "activation", "insights");
    /** Where local channel stubs listen: the only internal networks a local run lets destinations point to. */
    public static final String LOOPBACK_NETWORKS = "127.0.0.0/8,::1/128";

    private static final Logger LOG = Logger.getLogger(LocalInfrastructure.class.getName());

    private final Postgres postgres;
    private final Kafka kafka;
    private final Redis redis;
    private final DevOidcIssuer oidc;

    private LocalInfrastructure(Postgres postgres, Kafka kafka, Redis redis, DevOidcIssuer oidc) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.redis = redis;
        this.oidc = oidc;
    }

    /**
     * Starts (or connects to) every server.
     *
     * @param workDir where embedded servers keep their data; wiped on start
     * @param env     usually {@code System.getenv()}; decides which servers are external
     * @param oidcPort the issuer's port, or 0 for any free port
     */
    public static LocalInfrastructure start(Path workDir, Map<String, String> env, int oidcPort) {
        return start(workDir, env, oidcPort, EmbeddedBroker.IN_THIS_JVM);
    }

    /**
     * The same, with an embedded broker in a JVM of its own that keeps its logs under {@code workDir}, so that it
     * can be killed and restarted as the same cluster ({@link Kafka#killAndRestart}); the platform's runs use it.
     */
    public static LocalInfrastructure startWithBrokerProcess(Path workDir, Map<String, String> env, int oidcPort) {
        return start(workDir, env, oidcPort, EmbeddedBroker.OWN_PROCESS);
    }

    /**
     * All embedded, with a broker that authenticates with SCRAM and authorises with ACLs as deploy/'s does
     * ({@link Kafka#startEmbeddedWithScram()}); the services' users are the caller's to create.
     */
    public static LocalInfrastructure startWithScramKafka(Path workDir) {
        return start(workDir, Map.of(), 0, EmbeddedBroker.SCRAM_IN_THIS_JVM);
    }

    private enum EmbeddedBroker { IN_THIS_JVM, OWN_PROCESS, SCRAM_IN_THIS_JVM }

    private static LocalInfrastructure start(Path workDir, Map<String, String> env, int oidcPort, EmbeddedBroker broker) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            Postgres postgres = env.containsKey("SATSUMA_POSTGRES_HOST")
                    ? Postgres.external(env.get("SATSUMA_POSTGRES_HOST"),
                            Integer.parseInt(env.getOrDefault("SATSUMA_POSTGRES_PORT", "5432")),
                            env.getOrDefault("SATSUMA_POSTGRES_USER", "postgres"),
                            env.getOrDefault("SATSUMA_POSTGRES_PASSWORD", ""))
                    : Postgres.startEmbedded(workDir.resolve("postgres"));
            started.add(postgres);
            DATABASES.forEach(postgres::ensureDatabase);

            Kafka kafka = env.containsKey("SATSUMA_KAFKA_BOOTSTRAP_SERVERS")
                    ? Kafka.external(env.get("SATSUMA_KAFKA_BOOTSTRAP_SERVERS"))
                    : switch (broker) {
                        case IN_THIS_JVM -> Kafka.startEmbedded();
                        case OWN_PROCESS -> Kafka.startInOwnProcess(workDir.resolve("kafka"));
                        case SCRAM_IN_THIS_JVM -> Kafka.startEmbeddedWithScram();
                    };
            started.add(kafka);
            kafka.createTopics();

            Redis redis = env.containsKey("SATSUMA_REDIS_URL")
                    ? Redis.external(env.get("SATSUMA_REDIS_URL"))
                    : Redis.startEmbedded();
            started.add(redis);

            DevOidcIssuer oidc = DevOidcIssuer.start(oidcPort);
            LOG.info(() -> String.format("infrastructure ready in %d ms: postgres %s:%d, kafka %s, redis %s, oidc %s",
                    (System.nanoTime() - t0) / 1_000_000, postgres.host(), postgres.port(),
                    kafka.bootstrapServers(), redis.url(), oidc.issuer()));
            return new LocalInfrastructure(postgres, kafka, redis, oidc);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    public Postgres postgres() {
        return postgres;
    }

    public Kafka kafka() {
        return kafka;
    }

    public Redis redis() {
        return redis;
    }

    public DevOidcIssuer oidc() {
        return oidc;
    }

    /** Environment variables that point a packaged service at this infrastructure. */
    public Map<String, String> serviceEnvironment(String database) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SATSUMA_DB_URL", postgres.jdbcUrl(database));
        env.put("SATSUMA_DB_USER", postgres.user());
        env.put("SATSUMA_DB_PASSWORD", postgres.password());
        env.put("SATSUMA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SATSUMA_REDIS_URL", redis.url());
        env.put("SATSUMA_OIDC_ISSUER", oidc.issuer());
        // The channel stubs of a local run (channel-sandbox) listen on loopback: activation may call them there.
        env.put("SATSUMA_DESTINATIONS_ALLOWED_NETWORKS", LOOPBACK_NETWORKS);
        return env;
    }

    /** The same, as Quarkus configuration properties (for {@code @QuarkusTest}). */
    public Map<String, String> quarkusConfig(String database, boolean withRedis) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        config.put("quarkus.datasource.username", postgres.user());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        if (withRedis) {
            config.put("quarkus.redis.hosts", redis.url());
        }
        config.put("quarkus.oidc.auth-server-url", oidc.issuer());
        config.put("satsuma.activation.destinations.allowed-private-networks", LOOPBACK_NETWORKS);
        return config;
    }

    @Override
    public void close() {
        closeAll(List.of(postgres, kafka, redis, oidc));
    }

    private static void closeAll(List<? extends AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "could not stop " + resources.get(i).getClass().getSimpleName(), e);
            }
        }
    }
}
