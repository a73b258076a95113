package io.satsuma.localinfra;

import io.satsuma.contracts.Topic;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A Kafka cluster: a real single-node KRaft broker in this JVM or in a JVM of its own (which can be restarted), or
 * an external one. Either way the Satsuma topics are created explicitly (the broker refuses auto-creation).
 */
public final class Kafka implements AutoCloseable {
    private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final EmbeddedKafkaBroker broker;
    private final KafkaBrokerProcess brokerProcess;
    private final String bootstrapServers;
    private final String scramBootstrapServers;

    private Kafka(EmbeddedKafkaBroker broker, KafkaBrokerProcess brokerProcess, String bootstrapServers,
                  String scramBootstrapServers) {
        this.broker = broker;
        this.brokerProcess = brokerProcess;
        this.bootstrapServers = bootstrapServers;
        this.scramBootstrapServers = scramBootstrapServers;
    }

    public static Kafka startEmbedded() {
        EmbeddedKafkaBroker broker = broker(p -> {
        }).start();
        String bootstrap = broker.getAdvertisedListeners().replaceFirst("^[A-Z_]+://", "");
        return new Kafka(broker, null, bootstrap, null);
    }

    /**
     * The same broker in a JVM of its own, keeping its logs in {@code dataDir} (wiped on start), so that
     * {@link #killAndRestart} is a restart of the same cluster, as in production.
     */
    public static Kafka startInOwnProcess(Path dataDir) {
        KafkaBrokerProcess process = KafkaBrokerProcess.start(dataDir);
        return new Kafka(null, process, process.bootstrapServers(), null);
    }

    /**
     * A broker that, like deploy/'s Strimzi cluster, authenticates clients with SCRAM-SHA-512 and gives them only
     * what ACLs allow, on a second listener ({@link #scramBootstrapServers()}; SASL without TLS here). The first
     * listener stays plaintext for the harness, whose anonymous user is the super user that creates topics, users
     * and ACLs.
     */
    public static Kafka startEmbeddedWithScram() {
        int plaintextPort = FreePorts.next();
        int scramPort = FreePorts.next();
        EmbeddedKafkaBroker broker = broker(p -> {
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
            p.put("listener.name.scram." + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:ANONYMOUS");
        }).withKafkaPort(plaintextPort).withAdvertisedListeners(
                EmbeddedKafkaBroker.endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "127.0.0.1", plaintextPort),
                EmbeddedKafkaBroker.endpoint("SCRAM", SecurityProtocol.SASL_PLAINTEXT, "127.0.0.1", scramPort)).start();
        String plaintext = Arrays.stream(broker.getAdvertisedListeners().split(","))
                .filter(l -> !l.startsWith("SCRAM://")).findFirst().orElseThrow().replaceFirst("^[A-Z_]+://", "");
        return new Kafka(broker, null, plaintext, "127.0.0.1:" + scramPort);
    }

    /** The broker every embedded mode shares; {@code extra} adds to (or overrides) its properties. */
    static EmbeddedKafkaBroker broker(Consumer<Properties> extra) {
        return new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(FreePorts.next())
                .withControllerPort(FreePorts.next())
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(p -> {
                    extra.accept(p);
                    p.put("auto.create.topics.enable", "false");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("offsets.topic.num.partitions", "4");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("log.cleaner.enable", "true");
                    // A cleaner that looks every second, not every 15: tests see compaction (erasure) happen.
                    p.put("log.cleaner.backoff.ms", "1000");
                });
    }

    public static Kafka external(String bootstrapServers) {
        return new Kafka(null, null, bootstrapServers, null);
    }

    /** The plaintext listener: with {@link #startEmbeddedWithScram()}, the super user's. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SCRAM-authenticated listener of {@link #startEmbeddedWithScram()}. */
    public String scramBootstrapServers() {
        if (scramBootstrapServers == null) {
            throw new IllegalStateException("this broker has no SCRAM listener: start it with startEmbeddedWithScram()");
        }
        return scramBootstrapServers;
    }

    /** Creates (or replaces) a SCRAM-SHA-512 user and allows it exactly the given ACLs. */
    public void createUser(String user, String password, Collection<AclBinding> acls) {
        withAdmin("could not create the Kafka user " + user, admin -> {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        });
    }

    /**
     * What a client needs to authenticate as {@code user} on the SCRAM listener, as the {@code KAFKA_*} environment
     * variables deploy/ gives a service (Quarkus reads them into every Kafka client's configuration).
     */
    public Map<String, String> scramClientEnvironment(String user, String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SATSUMA_KAFKA_BOOTSTRAP_SERVERS", scramBootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", SecurityProtocol.SASL_PLAINTEXT.name);
        env.put("KAFKA_SASL_MECHANISM", SCRAM_MECHANISM);
        env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return env;
    }

    /** Creates every Satsuma topic and its dead-letter topic; existing ones are left as they are. */
    public void createTopics() {
        withAdmin("could not create Satsuma topics on " + bootstrapServers, admin -> {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                if (!existing.contains(topic.topicName())) {
                    missing.add(new NewTopic(topic.topicName(), topic.partitions(), (short) 1).configs(topic.configs()));
                }
                if (!existing.contains(topic.deadLetterTopicName())) {
                    missing.add(new NewTopic(topic.deadLetterTopicName(), 1, (short) 1).configs(topic.deadLetterConfigs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        });
    }

    /** Work through an Admin client on the plaintext listener (the super user's), failing with {@code failure}. */
    private void withAdmin(String failure, AdminWork work) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            work.run(admin);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(failure, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface AdminWork {
        void run(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    public boolean isEmbedded() {
        return broker != null || brokerProcess != null;
    }

    /**
     * Kills the broker with SIGKILL, keeps it down for {@code downtime}, and starts it again with its logs, on the
     * same port; returns once it answers. For fault tests; only a broker {@link #startInOwnProcess started in its
     * own process} can.
     */
    public void killAndRestart(Duration downtime) {
        if (brokerProcess == null) {
            throw new IllegalStateException("only a broker started in its own process can be restarted");
        }
        brokerProcess.killAndRestart(downtime);
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
        if (brokerProcess != null) {
            brokerProcess.close();
        }
    }
}
