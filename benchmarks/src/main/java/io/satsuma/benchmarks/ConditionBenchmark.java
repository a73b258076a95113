package io.satsuma.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.segment.domain.Condition;
import io.satsuma.segment.domain.ConditionParser;
import io.satsuma.segment.domain.ObservedEvent;
import io.satsuma.segment.domain.ProfileFacts;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Evaluations per second of a 10-node condition (the interpreted AST) on one profile with 60 events,
 * against the same predicate written by hand in Java over the same facts (the baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConditionBenchmark {
    static final String TEN_NODES = """
            {"all": [
              {"trait": "country", "op": "in", "value": ["United Kingdom", "France", "Germany"]},
              {"any": [
                {"event": "Order Completed", "aggregate": "count", "within": "P30D", "op": "gte", "value": 1},
                {"event": "Order Completed", "aggregate": "sum", "property": "revenue", "within": "P90D", "op": "gt", "value": 100}]},
              {"not": {"trait": "unsubscribed", "op": "exists"}},
              {"trait": "age", "op": "between", "value": [18, 65]},
              {"event": "Product Viewed", "aggregate": "distinct", "property": "category", "within": "P7D", "op": "gte", "value": 2},
              {"trait": "email", "op": "ends_with", "value": "@example.com"}]}""";

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    Condition condition;
    ProfileFacts facts;

    @Setup
    public void setUp() throws Exception {
        condition = ConditionParser.parse(new ObjectMapper().readTree(TEN_NODES)).condition();
        facts = profile(new Random(7));
        if (condition.matches(facts, NOW) != handWritten(facts, NOW)) {
            throw new IllegalStateException("baseline and interpreted condition disagree");
        }
    }

    static ProfileFacts profile(Random random) {
        Map<String, Object> traits = new HashMap<>();
        traits.put("country", "France");
        traits.put("age", 34);
        traits.put("email", "ann@example.com");
        List<ObservedEvent> events = new ArrayList<>();
        String[] categories = {"shoes", "hats", "bags", "coats"};
        for (int i = 0; i < 60; i++) {
            boolean order = i % 6 == 0;
            Instant at = NOW.minus(Duration.ofMinutes(random.nextInt(100 * 24 * 60)));
            events.add(new ObservedEvent("e" + i, order ? "Order Completed" : "Product Viewed", at,
                    order ? Map.of("revenue", 10 + random.nextInt(90)) : Map.of("category", categories[random.nextInt(4)])));
        }
        return new ProfileFacts("p", traits, events);
    }

    @Benchmark
    public boolean interpretedCondition() {
        return condition.matches(facts, NOW);
    }

    @Benchmark
    public boolean handWrittenBaseline() {
        return handWritten(facts, NOW);
    }

    /** The same predicate, written by hand: what the interpreter is measured against. */
    static boolean handWritten(ProfileFacts facts, Instant now) {
        Map<String, Object> t = facts.traits();
        Object country = t.get("country");
        if (!("United Kingdom".equals(country) || "France".equals(country) || "Germany".equals(country))) {
            return false;
        }
        Instant d30 = now.minus(Duration.ofDays(30));
        Instant d90 = now.minus(Duration.ofDays(90));
        Instant d7 = now.minus(Duration.ofDays(7));
        long orders30 = 0;
        BigDecimal revenue90 = BigDecimal.ZERO;
        Set<String> categories7 = new HashSet<>();
        for (ObservedEvent e : facts.events()) {
            Instant at = e.occurredAt();
            if (at.isAfter(now)) {
                continue;
            }
            if ("Order Completed".equals(e.name())) {
                if (at.isAfter(d30)) {
                    orders30++;
                }
                if (at.isAfter(d90) && e.properties().get("revenue") instanceof Number n) {
                    revenue90 = revenue90.add(new BigDecimal(n.toString()));
                }
            } else if ("Product Viewed".equals(e.name()) && at.isAfter(d7) && e.properties().get("category") != null) {
                categories7.add(e.properties().get("category").toString());
            }
        }
        if (!(orders30 >= 1 || revenue90.compareTo(BigDecimal.valueOf(100)) > 0)) {
            return false;
        }
        if (t.get("unsubscribed") != null) {
            return false;
        }
        if (!(t.get("age") instanceof Number age) || age.doubleValue() < 18 || age.doubleValue() > 65) {
            return false;
        }
        if (categories7.size() < 2) {
            return false;
        }
        return t.get("email") instanceof String email && email.endsWith("@example.com");
    }
}
