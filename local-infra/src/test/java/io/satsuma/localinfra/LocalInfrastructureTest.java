package io.satsuma.localinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.satsuma.contracts.Topic;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalInfrastructureTest {
    private static LocalInfrastructure infra;

    @BeforeAll
    static void start() throws Exception {
        // What a killed run leaves behind: initdb refuses a data directory that is not empty, so this start fails
        // unless it is wiped first.
        Path leftover = Path.of("target/infra-test/postgres/postmaster.pid");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "12345\n");
        // The platform's variant: the broker in a JVM of its own, so that it can be restarted below.
        infra = LocalInfrastructure.startWithBrokerProcess(Path.of("target/infra-test"), Map.of(), 0);
    }

    @AfterAll
    static void stop() {
        infra.close();
    }

    @Test
    void everyServiceHasItsOwnDatabase() throws Exception {
        for (String db : LocalInfrastructure.DATABASES) {
            try (Connection c = DriverManager.getConnection(infra.postgres().jdbcUrl(db), "postgres", "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(db);
                assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
            }
        }
    }

    @Test
    void topicsAreCreatedWithTheirPartitionCountsAndDeadLetterTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafka().bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            for (Topic topic : Topic.values()) {
                assertThat(names).contains(topic.topicName(), topic.deadLetterTopicName());
            }
            TopicDescription profiles = admin.describeTopics(Set.of(Topic.PROFILES.topicName()))
                    .allTopicNames().get(10, TimeUnit.SECONDS).get(Topic.PROFILES.topicName());
            assertThat(profiles.partitions()).hasSize(Topic.PROFILE_PARTITIONS);
        }
    }

    @Test
    void createTopicsTwiceIsHarmless() throws Exception {
        infra.kafka().createTopics();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafka().bootstrapServers()))) {
            TopicDescription events = admin.describeTopics(Set.of(Topic.EVENTS.topicName()))
                    .allTopicNames().get(10, TimeUnit.SECONDS).get(Topic.EVENTS.topicName());
            assertThat(events.partitions()).hasSize(Topic.EVENTS.partitions());
        }
    }

    @Test
    void postgresComesBackWithItsDataAfterARestartAndRefusesConnectionsWhileDown() throws Exception {
        String url = infra.postgres().jdbcUrl("insights");
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.createStatement().execute("CREATE TABLE survives_restart (id int)");
            c.createStatement().execute("INSERT INTO survives_restart VALUES (42)");
        }

        infra.postgres().stop();
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close())
                .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "08001");
        infra.postgres().start();

        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT id FROM survives_restart")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
            c.createStatement().execute("DROP TABLE survives_restart");
        }
    }

    @Test
    void aKilledKafkaBrokerComesBackWithItsTopicsRecordsAndCommittedOffsets() throws Exception {
        Kafka kafka = infra.kafka();
        String topic = Topic.PROFILE_EVENTS.topicName();
        TopicPartition partition = new TopicPartition(topic, 0);
        send(kafka, topic, 0, 100);
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(40)));
        }

        kafka.killAndRestart(Duration.ofSeconds(1));

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic, Topic.MEMBERSHIPS.topicName());
        }
        send(kafka, topic, 100, 110); // and it takes new records after the restart
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            consumer.assign(List.of(partition));
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.size() < 70 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> read.add(r.value()));
            }
            assertThat(read).as("from the committed position 40 to the end").hasSize(70);
            assertThat(read.get(0)).isEqualTo("record-40");
            assertThat(read.get(69)).isEqualTo("record-109");
        }
    }

    private static void send(Kafka kafka, String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "record-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(Kafka kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-test", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void redisAnswersPing() throws Exception {
        URI uri = URI.create(infra.redis().url());
        try (var socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            assertThat(new String(reply, 0, read)).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void issuerPublishesDiscoveryAndMintsTokensWithWorkspaceAndRoles() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String discovery = http.send(HttpRequest.newBuilder(
                URI.create(infra.oidc().issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(discovery).contains("\"jwks_uri\"", infra.oidc().issuer());

        String token = DevTokens.mint(infra.oidc().issuer(), "acme", "admin", "analyst");
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims).contains("\"workspace\":\"acme\"", "\"groups\":[\"admin\",\"analyst\"]");
    }
}
