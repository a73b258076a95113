package io.satsuma.profile.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.profile.application.ConfigureIdentityRules;
import io.satsuma.profile.application.RecordBatch;
import io.satsuma.profile.application.RecordEvent;
import io.satsuma.profile.application.UnmergeProfiles;
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
 * streams (people on several devices, identify calls linking and setting traits, alias and group calls, addresses
 * beyond the limit, sign-ins on another person's device, orders, page views, out-of-order timestamps, redeliveries
 * in and across batches; every other run with shared, non-merging addresses and no login ids; an operator's unmerge
 * halfway) recorded one by one in one workspace and in random-sized batches in another must leave the same people:
 * the same identifiers together, the same traits, aggregates, stored events and day buckets, and the same merges
 * and refusals journaled for the same messages. Profile ids and creation times may differ.
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
    UnmergeProfiles unmerge;

    @Inject
    ConfigureIdentityRules identityRules;

    @Inject
    Sql sql;

    @Test
    void batchesLeaveTheSamePeopleAsOneEventAtATime() {
        Random random = new Random(11);
        RecordBatch.Recorded recorded = new RecordBatch.Recorded(0, 0, 0);
        int unmerged = 0;
        for (int run = 0; run < 12; run++) {
            List<IngestedEvent> stream = randomStream(random, 150);
            String single = "single-" + UUID.randomUUID().toString().substring(0, 8);
            String batched = "batched-" + UUID.randomUUID().toString().substring(0, 8);
            if (run % 2 == 1) {
                // Shared addresses (never merge), and no login ids: other refusals, other links.
                sharedEmailsWithoutLogins(single);
                sharedEmailsWithoutLogins(batched);
            }
            // The first half, then an operator unmerges the same merge in both, then the rest (kept-apart refusals).
            int half = stream.size() / 2;
            stream.subList(0, half).forEach(e -> recordEvent.record(single, e));
            recorded = recorded.plus(recordInBatches(random, batched, stream.subList(0, half)));
            String message = firstSimpleMerge(single);
            if (message != null && message.equals(firstSimpleMerge(batched))) {
                unmergeTheMergeOf(single, message);
                unmergeTheMergeOf(batched, message);
                unmerged++;
            }
            stream.subList(half, stream.size()).forEach(e -> recordEvent.record(single, e));
            recorded = recorded.plus(recordInBatches(random, batched, stream.subList(half, stream.size())));

            Map<String, String> expected = people(single);
            Map<String, String> actual = people(batched);
            assertThat(actual.keySet()).as("run %d: who holds which identifiers", run).isEqualTo(expected.keySet());
            for (String person : expected.keySet()) {
                assertThat(actual.get(person)).as("run %d: %s", run, person).isEqualTo(expected.get(person));
            }
            assertThat(expected).isNotEmpty();
            assertThat(journal(batched)).as("run %d: merges and refusals, by message", run).isEqualTo(journal(single));
        }
        // Both paths were taken: a batch path that sent everything one by one would compare equal too.
        assertThat(recorded.inBulk()).as("events written set-based").isGreaterThan(500);
        assertThat(recorded.inArrivalOrder()).as("events resolved in arrival order").isGreaterThan(100);
        assertThat(unmerged).as("runs with an unmerge").isGreaterThan(3);
    }

    private RecordBatch.Recorded recordInBatches(Random random, String workspace, List<IngestedEvent> events) {
        RecordBatch.Recorded recorded = new RecordBatch.Recorded(0, 0, 0);
        for (int at = 0; at < events.size(); ) {
            int size = 1 + random.nextInt(60);
            recorded = recorded.plus(recordBatch.recordAll(events.subList(at, Math.min(events.size(), at + size)).stream()
                    .map(e -> new RecordBatch.Ingested(workspace, e)).toList()));
            at += size;
        }
        return recorded;
    }

    private void sharedEmailsWithoutLogins(String workspace) {
        identityRules.replace(workspace, Map.of(
                "user_id", new ConfigureIdentityRules.TypeRuleRequest(1, 300, true, false),
                "email", new ConfigureIdentityRules.TypeRuleRequest(3, 200, false, false),
                "anonymous_id", new ConfigureIdentityRules.TypeRuleRequest(Integer.MAX_VALUE, 100)), List.of(), null);
    }

    /** The message of the workspace's first merge that absorbed one profile which is still merged, or null. */
    private String firstSimpleMerge(String workspace) {
        return sql.queryOne("""
                SELECT j.message_id FROM merge_journal j JOIN profile a ON a.id = j.absorbed_id AND a.status = 'MERGED'
                     AND a.merged_into = j.survivor_id
                JOIN profile s ON s.id = j.survivor_id AND s.status = 'ACTIVE'
                WHERE j.workspace = ? AND j.outcome = 'MERGED'
                  AND (SELECT count(*) FROM merge_journal o WHERE o.workspace = j.workspace AND o.message_id = j.message_id
                       AND o.outcome = 'MERGED') = 1
                ORDER BY j.message_id LIMIT 1""", rs -> rs.getString(1), workspace).orElse(null);
    }

    private void unmergeTheMergeOf(String workspace, String message) {
        sql.queryOne("""
                SELECT survivor_id, absorbed_id FROM merge_journal
                WHERE workspace = ? AND message_id = ? AND outcome = 'MERGED'""",
                rs -> unmerge.unmerge(workspace, rs.getString(1), rs.getString(2), "a shared device", "test"),
                workspace, message).orElseThrow();
    }

    /** The merge journal as outcome, identifier type and message, sorted (profile ids differ between workspaces). */
    private List<String> journal(String workspace) {
        return sql.query("""
                SELECT outcome || ' ' || coalesce(identifier_type, '-') || ' ' || coalesce(message_id, '-')
                FROM merge_journal WHERE workspace = ? ORDER BY 1""", rs -> rs.getString(1), workspace);
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
            int kind = random.nextInt(8);
            if (kind == 6) {
                // alias: the person's user id and one of their devices (a link when both are known apart).
                stream.add(new IngestedEvent(UUID.randomUUID().toString(), "alias", null, "u" + person, null,
                        "a" + device + "-" + random.nextInt(2), Map.of(), Map.of(), Map.of(), at, at, "test-source"));
                continue;
            } else if (kind == 7) {
                stream.add(event("group", null, user, anon, Map.of("company", "c" + random.nextInt(3)), Map.of(), at));
                continue;
            }
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
