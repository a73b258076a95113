package io.satsuma.insights.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.support.jdbc.Sql;
import io.satsuma.support.outbox.ProcessedMessagePruner;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Idempotency bookkeeping older than the horizon (35 days: longer than the 30 days memberships are kept) goes. */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "insights"))
class ProcessedMessagePruningTest {
    @Inject
    ProcessedMessagePruner pruner;

    @Inject
    Sql sql;

    @Test
    void idsPastTheHorizonArePrunedAndYoungerOnesKept() {
        String consumer = "pruning-" + UUID.randomUUID();
        Instant now = Instant.now();
        for (Duration age : new Duration[] {Duration.ofDays(36), Duration.ofDays(400), Duration.ofDays(34), Duration.ZERO}) {
            sql.update("INSERT INTO processed_message (consumer, message_id, processed_at) VALUES (?, ?, ?)",
                    consumer, age.toString(), now.minus(age));
        }

        assertThat(pruner.prune()).isGreaterThanOrEqualTo(2);

        assertThat(sql.query("SELECT message_id FROM processed_message WHERE consumer = ? ORDER BY message_id",
                rs -> rs.getString(1), consumer)).containsExactlyInAnyOrder(Duration.ofDays(34).toString(), "PT0S");
    }
}
