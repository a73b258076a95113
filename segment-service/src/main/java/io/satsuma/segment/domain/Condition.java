package io.satsuma.segment.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A segment condition: a tree of boolean combinators over trait comparisons and event aggregates.
 * {@link #matches} is pure: the same facts at the same instant always give the same answer, and an
 * event aggregate counts exactly the events with {@code now − within < occurredAt ≤ now}.
 */
public sealed interface Condition {

    boolean matches(ProfileFacts facts, Instant now);

    /** The longest window this condition looks back over (events older than that never matter). */
    Duration lookback();

    /**
     * Adds every instant after {@code after} at which this condition's value may change with no new
     * input: when a known event enters (future timestamp) or leaves a window. Between two such
     * instants the value is constant.
     */
    void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into);

    /**
     * The first instant after {@code now} at which the result differs from the result at {@code now},
     * if the passage of time alone will ever change it.
     */
    default Optional<Instant> nextFlip(ProfileFacts facts, Instant now) {
        SortedSet<Instant> candidates = new TreeSet<>();
        collectChangeInstants(facts, now, candidates);
        boolean current = matches(facts, now);
        for (Instant t : candidates) {
            if (matches(facts, t) != current) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Every sub-condition holds (true for an empty list). */
    record All(List<Condition> conditions) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return conditions.stream().allMatch(c -> c.matches(facts, now));
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            conditions.forEach(c -> c.collectChangeInstants(facts, after, into));
        }

        public Duration lookback() {
            return conditions.stream().map(Condition::lookback).max(Duration::compareTo).orElse(Duration.ZERO);
        }
    }

    /** At least one sub-condition holds. */
    record Any(List<Condition> conditions) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return conditions.stream().anyMatch(c -> c.matches(facts, now));
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            conditions.forEach(c -> c.collectChangeInstants(facts, after, into));
        }

        public Duration lookback() {
            return conditions.stream().map(Condition::lookback).max(Duration::compareTo).orElse(Duration.ZERO);
        }
    }

    /** The sub-condition does not hold. */
    record Not(Condition condition) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return !condition.matches(facts, now);
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            condition.collectChangeInstants(facts, after, into);
        }

        public Duration lookback() {
            return condition.lookback();
        }
    }

    /** Compares a trait of the profile; {@code trait} may be a dotted path into nested objects. */
    record TraitComparison(String trait, Operator op, Object value) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return op.test(resolve(facts.traits(), trait), value);
        }

        /** Traits change only with new input. */
        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
        }

        public Duration lookback() {
            return Duration.ZERO;
        }

        private static Object resolve(Map<String, Object> traits, String path) {
            Object current = traits;
            for (String part : path.split("\\.")) {
                if (!(current instanceof Map<?, ?> map)) {
                    return null;
                }
                current = map.get(part);
            }
            return current;
        }
    }

    /** How events are folded into one number. */
    enum Aggregate {
        COUNT, SUM
    }

    /**
     * Folds the profile's {@code event}s of the last {@code within} (count, or sum of a numeric
     * property) and compares the result: "ordered at least once in the last 30 days" is
     * {@code event=Order Completed, aggregate=count, within=P30D, op=gte, value=1}.
     */
    record EventAggregate(String event, Aggregate aggregate, String property, Duration within, Operator op,
                          BigDecimal value) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return op.test(observe(facts, now), value);
        }

        public Duration lookback() {
            return within;
        }

        /** An event counts from {@code occurredAt} (inclusive) until {@code occurredAt + within} (exclusive). */
        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            for (ObservedEvent e : facts.events()) {
                if (!event.equals(e.name())) {
                    continue;
                }
                if (e.occurredAt().isAfter(after)) {
                    into.add(e.occurredAt());
                }
                Instant leaves = e.occurredAt().plus(within);
                if (leaves.isAfter(after)) {
                    into.add(leaves);
                }
            }
        }

        /** The aggregate's value at {@code now}. */
        public BigDecimal observe(ProfileFacts facts, Instant now) {
            Instant from = now.minus(within);
            BigDecimal result = BigDecimal.ZERO;
            for (ObservedEvent e : facts.events()) {
                if (!event.equals(e.name()) || !e.occurredAt().isAfter(from) || e.occurredAt().isAfter(now)) {
                    continue;
                }
                if (aggregate == Aggregate.COUNT) {
                    result = result.add(BigDecimal.ONE);
                } else {
                    BigDecimal amount = e.properties() == null ? null : Operator.number(e.properties().get(property));
                    if (amount != null) {
                        result = result.add(amount);
                    }
                }
            }
            return result;
        }
    }
}
