package io.satsuma.profile.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.profile.application.RecordBatch;
import io.satsuma.profile.application.RecordEvent;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The set-based batch path against the one-event-at-a-time path, on real PostgreSQL: the same random
 * streams (people on several devices, identify calls linking and setting traits, addresses beyond the limit,
 * sign-ins on another person's device, orders, page views, out-of-order timestamps, redeliveries in and across
 * batches) recorded one by one in one workspace and
 * in random-sized batches in another must leave the same people: the same identifiers together, the same
 * traits, aggregates, stored events and day buckets. Profile ids and creation times may differ.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "profile"))
class BatchRecordingTest {
    private static final Instant T0 = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MINUTES);

    @Inject
    RecordEvent recordEvent;

    @Inject
    RecordBatch recordBatch;

    @Inject
    Sql sql;

    @Test
    void batchesLeaveTheSamePeopleAsOneEventAtATime() {
        Random random = new Random(11);
        RecordBatch.Recorded recorded = new RecordBatch.Recorded(0, 0);
        for (int run = 0; run < 12; run++) {
            List<IngestedEvent> stream = randomStream(random, 150);
            String single = "single-" + UUID.randomUUID().toString().substring(0, 8);
            String batched = "batched-" + UUID.randomUUID().toString().substring(0, 8);
            stream.forEach(e -> recordEvent.record(single, e));
            for (int at = 0; at < stream.size(); ) {
                int size = 1 + random.nextInt(60);
                List<RecordBatch.Ingested> batch = stream.subList(at, Math.min(stream.size(), at + size)).stream()
                        .map(e -> new RecordBatch.Ingested(batched, e)).toList();
                RecordBatch.Recorded r = recordBatch.recordAll(batch);
                recorded = new RecordBatch.Recorded(recorded.inBulk() + r.inBulk(), recorded.oneByOne() + r.oneByOne());
                at += size;
            }

            Map<String, String> expected = people(single);
            Map<String, String> actual = people(batched);
            assertThat(actual.keySet()).as("run %d: who holds which identifiers", run).isEqualTo(expected.keySet());
            for (String person : expected.keySet()) {
                assertThat(actual.get(person)).as("run %d: %s", run, person).isEqualTo(expected.get(person));
            }
            assertThat(expected).isNotEmpty();
        }
        // Both paths were taken: a batch path that sent everything one by one would compare equal too.
        assertThat(recorded.inBulk()).as("events written set-based").isGreaterThan(500);
        assertThat(recorded.oneByOne()).as("events resolved one at a time").isGreaterThan(100);
    }

    /** Each active profile by its identifiers: traits, aggregates, its events and day buckets. */
    private Map<String, String> people(String workspace) {
        Map<String, String> people = new TreeMap<>();
        sql.query("""
                SELECT p.traits::text, p.aggregates::text,
                       (SELECT string_agg(i.id_type || ':' || i.id_value, ',' ORDER BY i.id_type, i.id_value)
                        FROM identity i WHERE i.profile_id = p.id) AS identifiers,
                       (SELECT string_agg(e.message_id, ',' ORDER BY e.message_id) FROM event e WHERE e.profile_id = p.id) AS events,
                       (SELECT string_agg(d.day || d.event || d.count || '/' || d.sum, ',' ORDER BY d.day, d.event)
                        FROM profile_day d WHERE d.profile_id = p.id) AS days
                FROM profile p WHERE p.workspace = ? AND p.status = 'ACTIVE'""",
                rs -> people.put(rs.getString("identifiers"), String.join(" | ", rs.getString(1), rs.getString(2),
                        rs.getString("events"), rs.getString("days"))), workspace);
        return people;
    }

    /** A small world: 6 people, 2 devices each; many messages are redelivered. */
    private static List<IngestedEvent> randomStream(Random random, int size) {
        List<IngestedEvent> stream = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (i > 0 && random.nextInt(10) == 0) {
                stream.add(stream.get(random.nextInt(stream.size()))); // a redelivery
                continue;
            }
            int person = random.nextInt(6);
            // Now and then someone signs in on another person's device: a second login id for that profile.
            int device = random.nextInt(25) == 0 ? random.nextInt(6) : person;
            String anon = "a" + device + "-" + random.nextInt(2);
            String user = random.nextInt(3) == 0 ? "u" + person : null;
            Instant at = T0.plus(Duration.ofMinutes(random.nextInt(600)));  // whole minutes: as stored
            int kind = random.nextInt(6);
            if (kind == 0) {
                // Mostly one address per person; sometimes one of several more, beyond the limit of five.
                String email = random.nextInt(4) == 0 ? "person" + person + "-" + random.nextInt(7) + "@example.com"
                        : "person" + person + "@example.com";
                stream.add(event("identify", null, user, anon, Map.of("plan", "p" + random.nextInt(3),
                        "email", email), Map.of(), at));
            } else if (kind == 1) {
                stream.add(event("page", null, user, anon, Map.of(), Map.of(), at));
            } else if (kind == 2) {
                stream.add(event("track", "Order Completed", user, anon, Map.of(),
                        Map.of("revenue", random.nextInt(10_000) / 100.0), at));
            } else {
                stream.add(event("track", "Product Viewed", random.nextBoolean() ? user : null, anon, Map.of(),
                        Map.of("category", random.nextBoolean() ? "Shoes" : "Bags"), at));
            }
        }
        return stream;
    }

    private static IngestedEvent event(String type, String name, String userId, String anonymousId,
                                       Map<String, Object> traits, Map<String, Object> properties, Instant at) {
        return new IngestedEvent(UUID.randomUUID().toString(), type, name, userId, anonymousId, null, traits,
                properties, Map.of(), at, at, "test-source");
    }
}
