package io.satsuma.profile.adapter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.Postgres;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.testing.KafkaFixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarts (fast shutdown: every session is terminated, connections are refused for seconds) while
 * profile-service is consuming: the consumer pipeline retries, nothing is dead-lettered, and every event is
 * recorded once.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "profile"))
class PostgresRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final int PEOPLE = 150;

    @Inject
    Sql sql;

    @Inject
    MeterRegistry meters;

    @Test
    void aDatabaseRestartUnderTheConsumerLosesNothingAndDeadLettersNothing() throws Exception {
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        Postgres postgres = SatsumaTestInfrastructure.infrastructure().postgres();
        KafkaFixtures.send(bootstrap(), events(workspace, 0, PEOPLE / 2));
        await().atMost(Duration.ofSeconds(60)).until(() -> recorded(workspace) > 0);

        double retriesBefore = retries();
        postgres.stop();
        try {
            // The rest arrives while the database is down; the consumer must be seen failing and retrying.
            KafkaFixtures.send(bootstrap(), events(workspace, PEOPLE / 2, PEOPLE));
            await().atMost(Duration.ofSeconds(60)).until(() -> retries() > retriesBefore);
        } finally {
            postgres.start();
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> recorded(workspace) == 2L * PEOPLE);
        assertThat(sql.query("SELECT count(*) FROM profile WHERE workspace = ?", rs -> rs.getLong(1), workspace))
                .containsExactly((long) PEOPLE);
        given().auth().oauth2(DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url",
                String.class), workspace, "admin")).get("/v1/dead-letters").then().statusCode(200).body("", empty());
    }

    /** A view and an order for each person numbered {@code from} to {@code to} (excluded). */
    private static List<ProducerRecord<String, String>> events(String workspace, int from, int to) throws Exception {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String user = "u" + i;
            for (String name : new String[] {"Product Viewed", "Order Completed"}) {
                IngestedEvent event = new IngestedEvent(UUID.randomUUID().toString(), "track", name, user, null, null,
                        null, Map.of("revenue", 10), Map.of(), Instant.now(), Instant.now(), "backend");
                records.add(KafkaFixtures.event(Topic.EVENTS.topicName(), user, event.messageId(),
                        CloudEvents.TYPE_EVENT_INGESTED, workspace, JSON.writeValueAsString(event)));
            }
        }
        return records;
    }

    private long recorded(String workspace) {
        try {
            return sql.query("SELECT count(*) FROM event WHERE workspace = ?", rs -> rs.getLong(1), workspace).get(0);
        } catch (RuntimeException databaseDown) {
            return -1;
        }
    }

    private double retries() {
        return meters.find("satsuma.consumer.retries").tag("channel", "events-in").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
