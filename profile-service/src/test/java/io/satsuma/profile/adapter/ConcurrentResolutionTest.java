package io.satsuma.profile.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.profile.application.RecordEvent;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Events of the same people resolved at the same time by parallel workers, each in its own transaction on
 * its own connection — as several instances of the service consuming different partitions would (an
 * anonymous id and a user id of one person hash to different partitions). No person may end up with two
 * profiles, no event may be lost or counted twice, and a redelivered event racing its first delivery
 * must still be stored once.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "profile"))
class ConcurrentResolutionTest {
    private static final int PEOPLE = 12;
    private static final int DEVICES = 3;
    private static final int WORKERS = 6;

    @Inject
    RecordEvent recordEvent;

    @Inject
    Sql sql;

    @Test
    void parallelWorkersNeverDuplicateAPersonNorLoseAnEvent() throws Exception {
        String workspace = "cc-" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(5);
        List<IngestedEvent> events = new ArrayList<>();
        for (int person = 0; person < PEOPLE; person++) {
            String user = "u" + person;
            String email = "person" + person + "@example.com";
            for (int device = 0; device < DEVICES; device++) {
                String anon = "a" + person + "-" + device;
                events.add(event("track", null, anon, Map.of()));
                events.add(event("identify", user, anon, Map.of("email", email)));
                events.add(event("track", user, null, Map.of()));
                events.add(event("identify", null, anon, Map.of("email", email)));
            }
        }
        Collections.shuffle(events, random);
        // Some events delivered twice, by two workers at once (a redelivery racing the first delivery).
        List<IngestedEvent> deliveries = new ArrayList<>(events);
        for (int i = 0; i < 20; i++) {
            deliveries.add(random.nextInt(deliveries.size()), events.get(random.nextInt(events.size())));
        }

        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        CyclicBarrier start = new CyclicBarrier(WORKERS);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            done.add(workers.submit(() -> {
                start.await();
                for (int i = worker; i < deliveries.size(); i += WORKERS) {
                    recordEvent.record(workspace, deliveries.get(i));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        workers.shutdown();

        List<String> owners = sql.query("""
                SELECT i.profile_id FROM identity i JOIN profile p ON p.id = i.profile_id
                WHERE i.workspace = ? AND i.id_type = 'user_id' ORDER BY i.id_value""", rs -> rs.getString(1), workspace);
        assertThat(owners).as("one profile per user id").hasSize(PEOPLE).doesNotHaveDuplicates();
        for (int person = 0; person < PEOPLE; person++) {
            List<String> holders = sql.query("""
                    SELECT DISTINCT profile_id FROM identity WHERE workspace = ? AND (id_value = ? OR id_value = ?
                      OR id_value LIKE ?)""", rs -> rs.getString(1), workspace, "u" + person,
                    "person" + person + "@example.com", "a" + person + "-%");
            assertThat(holders).as("every identifier of person %d on one profile", person).hasSize(1);
            long counted = sql.queryOne("SELECT (aggregates->>'eventCount')::bigint FROM profile WHERE id = ?", rs -> rs.getLong(1),
                    holders.get(0)).orElseThrow();
            long stored = sql.queryOne("SELECT count(*) FROM event WHERE workspace = ? AND profile_id = ?",
                    rs -> rs.getLong(1), workspace, holders.get(0)).orElseThrow();
            assertThat(stored).as("person %d's events, each stored once", person).isEqualTo(4L * DEVICES);
            assertThat(counted).as("person %d's event count", person).isEqualTo(stored);
        }
        assertThat(sql.queryOne("SELECT count(*) FROM profile WHERE workspace = ? AND status = 'ACTIVE'",
                rs -> rs.getLong(1), workspace).orElseThrow()).as("active profiles").isEqualTo(PEOPLE);
    }

    private static IngestedEvent event(String type, String userId, String anonymousId, Map<String, Object> traits) {
        Instant now = Instant.now();
        return new IngestedEvent(UUID.randomUUID().toString(), type, "track".equals(type) ? "Product Viewed" : null,
                userId, anonymousId, null, traits, Map.of(), Map.of(), now, now, "test-source");
    }
}
