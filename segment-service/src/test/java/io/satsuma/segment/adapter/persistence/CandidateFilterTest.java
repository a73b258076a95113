package io.satsuma.segment.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.segment.domain.Condition;
import io.satsuma.segment.domain.ConditionParser;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.PredictiveModels;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentGraph;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The backfill's SQL narrowing must never drop a profile that a condition holds for now or will hold
 * for later with no new input. Checked on real PostgreSQL against the domain evaluation, over random
 * profiles whose traits mix every JSON type (numbers written as 1, 1.5 and 1.50, numeric and boolean
 * text, nested objects, lists, absent keys) and random conditions parsed from JSON as the API does.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "segment"), @ResourceArg(name = "redis", value = "true")})
class CandidateFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final List<Object> VALUES = List.of("GB", "gb", "G", "1", "1.50", "true", "2026-11-01T00:00:00Z", 1, 2,
            new BigDecimal("1.50"), 1.5, -3, 0, true, false, List.of("GB", 2), Map.of("c", "GB"));
    private static final List<String> LITERALS = List.of("\"GB\"", "\"G\"", "\"1\"", "\"1.50\"", "\"true\"", "1", "2",
            "1.5", "1.50", "0", "-3", "true", "\"2026-11-01T00:00:00Z\"");
    private static final List<String> KEYS = List.of("a", "b", "a.c", "$profile.orderCount", "$profile.lastSeenAt");

    @Inject
    Sql sql;

    @Inject
    ProfileStates states;

    @Test
    void theFilterKeepsEveryProfileAConditionHoldsForNowOrLater() throws Exception {
        Random random = new Random(42);
        String workspace = "cf-" + UUID.randomUUID();
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String profileId = String.format("p%04d", i);
            profiles.add(profileId);
            Map<String, Object> traits = new LinkedHashMap<>();
            Map<String, Object> aggregates = new LinkedHashMap<>();
            for (String key : List.of("a", "b")) {
                if (random.nextInt(4) > 0) {
                    traits.put(key, VALUES.get(random.nextInt(VALUES.size())));
                }
            }
            if (random.nextBoolean()) {
                aggregates.put("orderCount", VALUES.get(random.nextInt(VALUES.size())));
            }
            if (random.nextBoolean()) {
                aggregates.put("lastSeenAt", NOW.minus(Duration.ofDays(random.nextInt(60))).toString());
            }
            sql.update("""
                    INSERT INTO profile_state (workspace, profile_id, status, traits, aggregates)
                    VALUES (?, ?, 'ACTIVE', ?::jsonb, ?::jsonb)""",
                    workspace, profileId, JSON.writeValueAsString(traits), JSON.writeValueAsString(aggregates));
            for (int e = random.nextInt(4); e > 0; e--) {
                sql.update("""
                        INSERT INTO profile_event (workspace, event_id, profile_id, name, occurred_at, properties)
                        VALUES (?, ?, ?, ?, ?, ?::jsonb)""",
                        workspace, UUID.randomUUID().toString(), profileId, random.nextBoolean() ? "E1" : "E2",
                        NOW.plus(Duration.ofDays(random.nextInt(100) - 90)), "{\"amount\": " + random.nextInt(5) + "}");
            }
        }
        Map<String, ProfileFacts> facts = new LinkedHashMap<>();
        for (String profileId : profiles) {
            facts.put(profileId, states.facts(workspace, profileId,
                    new Evaluation.Inputs(Set.of(), NOW.minus(Duration.ofDays(400)), Set.of("E1", "E2"))));
        }

        int narrowed = 0;
        int checked = 0;
        while (checked < 400) {
            Condition condition = ConditionParser.parse(JSON.readTree(randomCondition(random, 0))).condition();
            if (condition == null) {
                continue; // an invalid random combination (e.g. "gt" on a boolean): the API refuses it too
            }
            checked++;
            Set<String> holdNowOrLater = new HashSet<>();
            facts.forEach((id, f) -> {
                if (condition.matches(f, NOW) || condition.nextFlip(f, NOW).isPresent()) {
                    holdNowOrLater.add(id);
                }
            });
            Segment segment = new Segment("s-" + checked, workspace, "s", null, null, condition, BigDecimal.ZERO, null, null,
                    1, NOW, NOW);
            CandidateFilter.Predicate filter = CandidateFilter.of(List.of(segment), NOW,
                    new CandidateFilter.Range(workspace, "", "\uffff"));
            if (filter.sql() == null) {
                continue;
            }
            List<Object> params = new ArrayList<>(List.of(workspace));
            params.addAll(filter.params());
            Set<String> candidates = new HashSet<>(sql.query(
                    "SELECT p.profile_id FROM profile_state p WHERE p.workspace = ? AND " + filter.sql(),
                    rs -> rs.getString(1), params.toArray()));
            assertThat(candidates).as("%s%n%s", condition, filter.sql()).containsAll(holdNowOrLater);
            if (candidates.size() < profiles.size()) {
                narrowed++;
            }
        }
        assertThat(narrowed).as("the filter narrows most conditions").isGreaterThan(checked / 3);
    }

    @Test
    void predictedTraitsKeepEveryProfileWithAnOrderAndOnlyThose() throws Exception {
        String workspace = "cfp-" + UUID.randomUUID();
        Random random = new Random(7);
        Map<String, ProfileFacts> facts = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            String profileId = String.format("p%04d", i);
            sql.update("INSERT INTO profile_state (workspace, profile_id, status) VALUES (?, ?, 'ACTIVE')", workspace, profileId);
            for (int e = random.nextInt(4); e > 0; e--) {
                sql.update("""
                        INSERT INTO profile_event (workspace, event_id, profile_id, name, occurred_at, properties)
                        VALUES (?, ?, ?, ?, ?, '{}'::jsonb)""", workspace, UUID.randomUUID().toString(), profileId,
                        random.nextBoolean() ? "Order Completed" : "Product Viewed",
                        NOW.minus(Duration.ofDays(random.nextInt(700) - 30)));
            }
        }
        for (String json : List.of("{\"trait\": \"$predicted.pAlive\", \"op\": \"lt\", \"value\": 0.9}",
                "{\"trait\": \"$predicted.pAlive\", \"op\": \"gte\", \"value\": 0.2}",
                "{\"trait\": \"$predicted.expectedOrders.P90D\", \"op\": \"between\", \"value\": [0.1, 2]}",
                "{\"trait\": \"$predicted.churnRisk\", \"op\": \"exists\"}")) {
            Segment segment = SegmentGraph.link(List.of(new Segment("s", workspace, "s", null, null,
                    ConditionParser.parse(JSON.readTree(json)).condition(), BigDecimal.ZERO, null, null, 1, NOW, NOW)),
                    new PredictiveModels(1, new BgNbd(0.243, 4.414, 0.793, 2.426), new GammaGamma(6.25, 3.74, 15.44), 7,
                            LocalDate.parse("2026-01-01"), NOW)).get(0);
            Evaluation.Inputs inputs = Evaluation.inputs(List.of(segment), NOW);
            Set<String> holdNowOrLater = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                ProfileFacts f = states.facts(workspace, String.format("p%04d", i), inputs);
                if (segment.condition().matches(f, NOW) || segment.condition().nextFlip(f, NOW).isPresent()) {
                    holdNowOrLater.add(f.profileId());
                }
            }
            CandidateFilter.Predicate filter = CandidateFilter.of(List.of(segment), NOW,
                    new CandidateFilter.Range(workspace, "", "\uffff"));
            List<Object> params = new ArrayList<>(List.of(workspace));
            params.addAll(filter.params());
            Set<String> candidates = new HashSet<>(sql.query(
                    "SELECT p.profile_id FROM profile_state p WHERE p.workspace = ? AND " + filter.sql(),
                    rs -> rs.getString(1), params.toArray()));
            Set<String> buyers = new HashSet<>(sql.query("""
                    SELECT DISTINCT profile_id FROM profile_event WHERE workspace = ? AND name = 'Order Completed'""",
                    rs -> rs.getString(1), workspace));
            assertThat(holdNowOrLater).as(json).isNotEmpty();
            assertThat(candidates).as(json).containsAll(holdNowOrLater).isEqualTo(buyers);
        }
    }

    private static String randomCondition(Random random, int depth) {
        int kind = random.nextInt(depth >= 2 ? 4 : 7);
        return switch (kind) {
            case 0, 1 -> trait(random);
            case 2 -> event(random);
            case 3 -> "{\"sequence\":[{\"event\":\"E1\"},{\"event\":\"E2\"}],\"op\":\""
                    + (random.nextBoolean() ? "followed_by" : "not_followed_by") + "\",\"within\":\"P10D\",\"during\":\"P60D\"}";
            case 4 -> "{\"all\":[" + randomCondition(random, depth + 1) + "," + randomCondition(random, depth + 1) + "]}";
            case 5 -> "{\"any\":[" + randomCondition(random, depth + 1) + "," + randomCondition(random, depth + 1) + "]}";
            default -> "{\"not\":" + randomCondition(random, depth + 1) + "}";
        };
    }

    private static String trait(Random random) {
        String key = KEYS.get(random.nextInt(KEYS.size()));
        String[] ops = {"eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in", "contains", "starts_with",
                "exists", "missing", "older_than", "within_last"};
        String op = ops[random.nextInt(ops.length)];
        String value = switch (op) {
            case "exists", "missing" -> null;
            case "in", "not_in" -> "[" + literal(random) + "," + literal(random) + "]";
            case "between" -> "[" + literal(random) + "," + literal(random) + "]";
            case "older_than", "within_last" -> "\"P" + (1 + random.nextInt(40)) + "D\"";
            default -> literal(random);
        };
        return "{\"trait\":\"" + key + "\",\"op\":\"" + op + "\"" + (value == null ? "" : ",\"value\":" + value) + "}";
    }

    private static String event(Random random) {
        String[] ops = {"gte", "gt", "eq", "lt", "lte", "ne"};
        String aggregate = random.nextBoolean() ? "count" : "sum";
        return "{\"event\":\"" + (random.nextBoolean() ? "E1" : "E2") + "\",\"aggregate\":\"" + aggregate + "\""
                + (aggregate.equals("sum") ? ",\"property\":\"amount\"" : "") + ",\"within\":\"P" + (1 + random.nextInt(60))
                + "D\",\"op\":\"" + ops[random.nextInt(ops.length)] + "\",\"value\":" + (random.nextInt(4) - 1) + "}";
    }

    private static String literal(Random random) {
        return LITERALS.get(random.nextInt(LITERALS.size()));
    }
}
