package io.satsuma.segment.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A segment condition: a tree of boolean combinators over trait comparisons and event aggregates.
 * {@link #matches} is pure: the same facts at the same instant always give the same answer. Windows are
 * exact: in a rolling window {@code within} an event counts at instant {@code t} iff
 * {@code t − within < occurredAt ≤ t}; in an absolute range iff {@code from ≤ occurredAt < to} and
 * {@code occurredAt ≤ t}.
 */
public sealed interface Condition {

    boolean matches(ProfileFacts facts, Instant now);

    /** The earliest event time that can matter at {@code now} or later (facts need no older events). */
    Instant relevantSince(Instant now);

    /**
     * Adds every instant after {@code after} at which this condition's value may change with no new
     * input: a known event entering (future timestamp) or leaving a window, a timestamp trait becoming
     * old enough. Between two such instants the value is constant.
     */
    void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into);

    /** This condition's tree for {@code facts} at {@code now}, with each node's observed value and result. */
    Explanation explain(ProfileFacts facts, Instant now);

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

    /** Holds for every active profile. */
    record Everyone() implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return true;
        }

        public Instant relevantSince(Instant now) {
            return now;
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            return new Explanation("everyone", "every profile", null, true, List.of());
        }
    }

    /** Every sub-condition holds. */
    record All(List<Condition> conditions) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return conditions.stream().allMatch(c -> c.matches(facts, now));
        }

        public Instant relevantSince(Instant now) {
            return earliest(conditions, now);
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            conditions.forEach(c -> c.collectChangeInstants(facts, after, into));
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            return new Explanation("all", "every one of " + conditions.size() + " conditions holds", null,
                    matches(facts, now), conditions.stream().map(c -> c.explain(facts, now)).toList());
        }
    }

    /** At least one sub-condition holds. */
    record Any(List<Condition> conditions) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return conditions.stream().anyMatch(c -> c.matches(facts, now));
        }

        public Instant relevantSince(Instant now) {
            return earliest(conditions, now);
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            conditions.forEach(c -> c.collectChangeInstants(facts, after, into));
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            return new Explanation("any", "at least one of " + conditions.size() + " conditions holds", null,
                    matches(facts, now), conditions.stream().map(c -> c.explain(facts, now)).toList());
        }
    }

    /** The sub-condition does not hold ("did not do" is {@code not} over an event aggregate). */
    record Not(Condition condition) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return !condition.matches(facts, now);
        }

        public Instant relevantSince(Instant now) {
            return condition.relevantSince(now);
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            condition.collectChangeInstants(facts, after, into);
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            return new Explanation("not", "the condition below does not hold", null, matches(facts, now),
                    List.of(condition.explain(facts, now)));
        }
    }

    /**
     * Compares a trait of the profile; {@code trait} may be a dotted path into nested objects. With
     * {@code older_than} / {@code within_last} the value is a {@link Duration} and the result moves with time.
     */
    record TraitComparison(String trait, Operator op, Object value) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return op.test(resolve(facts.traits(), trait), value, now);
        }

        public Instant relevantSince(Instant now) {
            return now;
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            if (op.isRelativeDate()) {
                op.changeInstants(resolve(facts.traits(), trait), value).stream().filter(t -> t.isAfter(after))
                        .forEach(into::add);
            }
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            String description = "trait " + trait + " " + op.json() + (op.isUnary() ? "" : " " + value);
            return new Explanation("trait", description, resolve(facts.traits(), trait), matches(facts, now), List.of());
        }
    }

    /**
     * Membership of another segment of the workspace: holds when that segment's condition holds. Once
     * linked ({@link SegmentGraph#link}) it carries the referenced condition, so it is evaluated at the
     * same instant from the same facts and its time-driven changes are known; unlinked it never holds.
     */
    record SegmentReference(String segmentId, Condition target) implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return target != null && target.matches(facts, now);
        }

        public Instant relevantSince(Instant now) {
            return target == null ? now : target.relevantSince(now);
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            if (target != null) {
                target.collectChangeInstants(facts, after, into);
            }
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            return new Explanation("segment", "member of segment " + segmentId, null, matches(facts, now),
                    target == null ? List.of() : List.of(target.explain(facts, now)));
        }
    }

    /** Which events a sequence step selects: by name, and optionally by property filters. */
    record EventMatcher(String event, List<PropertyFilter> where) {
        boolean selects(ObservedEvent e) {
            return event.equals(e.name()) && where.stream().allMatch(f -> f.test(e.properties()));
        }
    }

    /**
     * Steps in order: an occurrence of the first step in the last {@code during} at {@code a1}, then
     * one of each following step, each strictly later than the one before, all by {@code a1 + within}.
     * {@code followed_by}: the whole chain has happened (by now). {@code not_followed_by}: the chain up
     * to the last step happened and no last-step event followed it by {@code a1 + within}, once that
     * time has passed — "added to cart, then no order within 1 hour"; with three steps, "viewed, then
     * added to cart, then no order within 1 hour".
     */
    record Sequence(List<EventMatcher> steps, Duration within, Duration during, boolean negated)
            implements Condition {
        public Sequence {
            steps = List.copyOf(steps);
            if (steps.size() < 2) {
                throw new IllegalArgumentException("a sequence has at least two steps");
            }
        }

        /** A two-step sequence: {@code first} then {@code then}. */
        public Sequence(EventMatcher first, EventMatcher then, Duration within, Duration during, boolean negated) {
            this(List.of(first, then), within, during, negated);
        }

        public boolean matches(ProfileFacts facts, Instant now) {
            int last = steps.size() - 1;
            for (ObservedEvent a : facts.events()) {
                if (!steps.get(0).selects(a) || a.occurredAt().isAfter(now) || !a.occurredAt().isAfter(now.minus(during))) {
                    continue;
                }
                Instant deadline = a.occurredAt().plus(within);
                if (negated) {
                    if (deadline.isAfter(now)) {
                        continue;
                    }
                    Instant chainEnd = latestEnd(facts.events(), a.occurredAt(), deadline);
                    if (chainEnd != null && next(facts.events(), steps.get(last), chainEnd, deadline) == null) {
                        return true;
                    }
                } else if (earliestEnd(facts.events(), a.occurredAt(), last, deadline.isBefore(now) ? deadline : now) != null) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The earliest instant at which steps 1..{@code upTo} can follow a first step at {@code start},
         * each strictly after the previous and none after {@code until}; null if they cannot. Taking the
         * earliest event at each step is optimal: it leaves the most room for the steps after it.
         */
        private Instant earliestEnd(List<ObservedEvent> events, Instant start, int upTo, Instant until) {
            Instant at = start;
            for (int step = 1; step <= upTo && at != null; step++) {
                at = next(events, steps.get(step), at, until);
            }
            return at;
        }

        /**
         * The latest instant at which the chain of every step but the last can end (by {@code until}):
         * the later it ends, the less room for the last step, so "not followed" holds for some chain iff
         * it holds for this one.
         */
        private Instant latestEnd(List<ObservedEvent> events, Instant start, Instant until) {
            int penultimate = steps.size() - 2;
            if (penultimate == 0) {
                return start;
            }
            Instant before = earliestEnd(events, start, penultimate - 1, until);
            if (before == null) {
                return null;
            }
            Instant latest = null;
            for (ObservedEvent e : events) {
                Instant t = e.occurredAt();
                if (steps.get(penultimate).selects(e) && t.isAfter(before) && !t.isAfter(until)
                        && (latest == null || t.isAfter(latest))) {
                    latest = t;
                }
            }
            return latest;
        }

        /** The earliest event of {@code step} in ({@code after}, {@code until}], or null. */
        private static Instant next(List<ObservedEvent> events, EventMatcher step, Instant after, Instant until) {
            Instant earliest = null;
            for (ObservedEvent e : events) {
                Instant t = e.occurredAt();
                if (step.selects(e) && t.isAfter(after) && !t.isAfter(until) && (earliest == null || t.isBefore(earliest))) {
                    earliest = t;
                }
            }
            return earliest;
        }

        public Instant relevantSince(Instant now) {
            return now.minus(during);
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            for (ObservedEvent e : facts.events()) {
                if (steps.get(0).selects(e)) {
                    for (Instant t : List.of(e.occurredAt(), e.occurredAt().plus(within), e.occurredAt().plus(during))) {
                        if (t.isAfter(after)) {
                            into.add(t);
                        }
                    }
                }
                if (e.occurredAt().isAfter(after) && steps.stream().skip(1).anyMatch(step -> step.selects(e))) {
                    into.add(e.occurredAt());
                }
            }
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            List<String> names = steps.stream().map(EventMatcher::event).toList();
            String chain = String.join(" then ", names.subList(0, names.size() - 1));
            return new Explanation("sequence", chain + (negated ? " not followed by " : " then ") + names.get(names.size() - 1)
                    + " within " + within + ", during the last " + during, null, matches(facts, now), List.of());
        }
    }

    /** How the matching events are folded into one number. */
    enum Aggregate {
        COUNT, SUM, AVG, MIN, MAX, DISTINCT, FIRST, LAST;

        /** First/last occurrence: the aggregate is a timestamp, not a number. */
        public boolean isOccurrence() {
            return this == FIRST || this == LAST;
        }

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A filter on an event's properties, e.g. {@code category eq "shoes"}. */
    record PropertyFilter(String property, Operator op, Object value) {
        boolean test(Map<String, Object> properties) {
            return op.test(resolve(properties, property), value);
        }
    }

    /**
     * Folds the profile's {@code event}s that pass the {@code where} filters and fall in the window
     * (rolling {@code within}, or absolute {@code from}..{@code to}) into one number and compares it:
     * "ordered at least once in the last 30 days" is
     * {@code event=Order Completed, aggregate=count, within=P30D, op=gte, value=1}.
     * {@code count} and {@code sum} of no events are 0; {@code avg}, {@code min}, {@code max} of no
     * events are undefined and never match; {@code distinct} counts distinct values of {@code property}.
     */
    record EventAggregate(String event, Aggregate aggregate, String property, List<PropertyFilter> where,
                          Duration within, Instant from, Instant to, Operator op, Object value) implements Condition {

        /** A rolling-window aggregate without property filters. */
        public EventAggregate(String event, Aggregate aggregate, String property, Duration within, Operator op,
                              BigDecimal value) {
            this(event, aggregate, property, List.of(), within, null, null, op, value);
        }

        public boolean matches(ProfileFacts facts, Instant now) {
            return op.test(aggregate.isOccurrence() ? occurrence(facts, now) : observe(facts, now), value, now);
        }

        public Instant relevantSince(Instant now) {
            return within != null ? now.minus(within) : from;
        }

        /** For {@code first}/{@code last}: the time of the first/last selected event in the window at {@code now}. */
        public Instant occurrence(ProfileFacts facts, Instant now) {
            Instant result = null;
            for (ObservedEvent e : facts.events()) {
                if (selects(e) && counts(e.occurredAt(), now)) {
                    Instant t = e.occurredAt();
                    if (result == null || (aggregate == Aggregate.FIRST ? t.isBefore(result) : t.isAfter(result))) {
                        result = t;
                    }
                }
            }
            return result;
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            for (ObservedEvent e : facts.events()) {
                if (!selects(e)) {
                    continue;
                }
                if (e.occurredAt().isAfter(after) && inRange(e.occurredAt())) {
                    into.add(e.occurredAt());
                }
                if (within != null) {
                    Instant leaves = e.occurredAt().plus(within);
                    if (leaves.isAfter(after)) {
                        into.add(leaves);
                    }
                }
                // "last order more than 30 days ago": flips when the occurrence becomes old enough.
                if (op.isRelativeDate() && value instanceof Duration period && e.occurredAt().plus(period).isAfter(after)) {
                    into.add(e.occurredAt().plus(period));
                }
            }
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            String what = aggregate == Aggregate.COUNT ? "count of " + event
                    : aggregate.isOccurrence() ? aggregate.json() + " " + event
                    : aggregate.json() + " of " + property + " of " + event;
            String filters = where.isEmpty() ? "" : " where " + where.stream()
                    .map(f -> f.property() + " " + f.op().json() + " " + f.value()).reduce((a, b) -> a + " and " + b).orElse("");
            String window = within != null ? " within " + within : " from " + from + " to " + to;
            return new Explanation("event", what + filters + window + " " + op.json() + " " + value,
                    aggregate.isOccurrence() ? occurrence(facts, now) : observe(facts, now), matches(facts, now), List.of());
        }

        /** The aggregate's value at {@code now}, or null when it is undefined (avg/min/max of nothing). */
        public BigDecimal observe(ProfileFacts facts, Instant now) {
            long count = 0;
            BigDecimal sum = BigDecimal.ZERO;
            BigDecimal min = null;
            BigDecimal max = null;
            Set<String> distinct = new HashSet<>();
            for (ObservedEvent e : facts.events()) {
                if (!selects(e) || !counts(e.occurredAt(), now)) {
                    continue;
                }
                if (aggregate == Aggregate.COUNT) {
                    count++;
                    continue;
                }
                Object raw = resolve(e.properties(), property);
                if (aggregate == Aggregate.DISTINCT) {
                    if (raw != null) {
                        distinct.add(raw instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
                                : raw.toString());
                    }
                    continue;
                }
                BigDecimal amount = Operator.number(raw);
                if (amount == null) {
                    continue;
                }
                count++;
                sum = sum.add(amount);
                min = min == null || amount.compareTo(min) < 0 ? amount : min;
                max = max == null || amount.compareTo(max) > 0 ? amount : max;
            }
            return switch (aggregate) {
                case FIRST, LAST -> null;
                case COUNT -> BigDecimal.valueOf(count);
                case SUM -> sum;
                case AVG -> count == 0 ? null : sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64);
                case MIN -> min;
                case MAX -> max;
                case DISTINCT -> BigDecimal.valueOf(distinct.size());
            };
        }

        private boolean selects(ObservedEvent e) {
            return event.equals(e.name()) && where.stream().allMatch(f -> f.test(e.properties()));
        }

        private boolean inRange(Instant occurredAt) {
            return within != null || (!occurredAt.isBefore(from) && occurredAt.isBefore(to));
        }

        private boolean counts(Instant occurredAt, Instant now) {
            if (occurredAt.isAfter(now)) {
                return false;
            }
            return within != null ? occurredAt.isAfter(now.minus(within)) : inRange(occurredAt);
        }
    }

    /**
     * "Due to reorder": among the profile's {@code Order Completed} events within the rolling window, a product bought
     * on at least two UTC days has a usual interval — the median of the gaps in days between its consecutive purchase
     * days — and is due once that interval has passed since its last purchase. Holds while {@code product} (or, without
     * one, any product) is due. Products are {@code products[].product_id}, else {@code sku}. Time-driven: it becomes
     * true at a due instant and changes when orders enter or leave the window.
     */
    record ReorderDue(Duration within, String product) implements Condition {
        public static final String ORDER = "Order Completed";
        private static final long SECONDS_PER_DAY = 86_400;

        public boolean matches(ProfileFacts facts, Instant now) {
            return !dueProducts(facts, now).isEmpty();
        }

        public Instant relevantSince(Instant now) {
            return now.minus(within);
        }

        /** The products due at {@code now}, by their due instant. */
        public SortedSet<String> dueProducts(ProfileFacts facts, Instant now) {
            SortedSet<String> due = new TreeSet<>();
            dueInstants(facts, now).forEach((item, at) -> {
                if (!at.isAfter(now)) {
                    due.add(item);
                }
            });
            return due;
        }

        /** For each product bought on two days or more in the window at {@code now}: when it is due. */
        private Map<String, Instant> dueInstants(ProfileFacts facts, Instant now) {
            Map<String, SortedSet<Instant>> purchases = new HashMap<>();
            for (ObservedEvent e : facts.events()) {
                if (ORDER.equals(e.name()) && !e.occurredAt().isAfter(now) && e.occurredAt().isAfter(now.minus(within))) {
                    for (String item : productsOf(e)) {
                        if (product == null || product.equals(item)) {
                            purchases.computeIfAbsent(item, x -> new TreeSet<>()).add(e.occurredAt());
                        }
                    }
                }
            }
            Map<String, Instant> due = new TreeMap<>();
            purchases.forEach((item, times) -> {
                SortedSet<LocalDate> days = new TreeSet<>();
                times.forEach(t -> days.add(LocalDate.ofInstant(t, ZoneOffset.UTC)));
                if (days.size() < 2) {
                    return;
                }
                List<Long> gaps = new ArrayList<>();
                LocalDate previous = null;
                for (LocalDate day : days) {
                    if (previous != null) {
                        gaps.add(ChronoUnit.DAYS.between(previous, day));
                    }
                    previous = day;
                }
                Collections.sort(gaps);
                int middle = gaps.size() / 2;
                long halfDays = gaps.size() % 2 == 1 ? 2 * gaps.get(middle) : gaps.get(middle - 1) + gaps.get(middle);
                due.put(item, times.last().plusSeconds(halfDays * SECONDS_PER_DAY / 2));
            });
            return due;
        }

        private static List<String> productsOf(ObservedEvent e) {
            if (!(e.properties().get("products") instanceof List<?> lines)) {
                return List.of();
            }
            List<String> ids = new ArrayList<>();
            for (Object line : lines) {
                if (line instanceof Map<?, ?> fields) {
                    Object id = fields.get("product_id") != null ? fields.get("product_id") : fields.get("sku");
                    if (id != null && !id.toString().isBlank()) {
                        ids.add(id.toString().trim());
                    }
                }
            }
            return ids;
        }

        /**
         * The window's content changes when an order enters (a future timestamp) or leaves it; between two such
         * instants the due instants are fixed, so each state's due instants are the rest of the candidates.
         */
        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            SortedSet<Instant> states = new TreeSet<>(List.of(after));
            for (ObservedEvent e : facts.events()) {
                if (ORDER.equals(e.name())) {
                    if (e.occurredAt().isAfter(after)) {
                        states.add(e.occurredAt());
                    }
                    Instant leaves = e.occurredAt().plus(within);
                    if (leaves.isAfter(after)) {
                        states.add(leaves);
                    }
                }
            }
            into.addAll(states.tailSet(after.plusNanos(1)));
            for (Instant state : states) {
                dueInstants(facts, state).values().stream().filter(t -> t.isAfter(after)).forEach(into::add);
            }
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            return new Explanation("reorder", (product == null ? "a product" : "product " + product)
                    + " due to reorder (its usual interval since its last purchase, orders within " + within + ")",
                    List.copyOf(dueProducts(facts, now)), matches(facts, now), List.of());
        }
    }

    /**
     * Compares a predicted trait ({@code $predicted.pAlive lt 0.3}, see {@link PredictedTrait}), computed at the
     * instant of evaluation from the workspace's models and the profile's events. Once linked
     * ({@link SegmentGraph#link(List, PredictiveModels)}) it carries the workspace's current models; without models
     * the order-based traits are undefined and never match. Time-driven: the trait moves as time passes, and the
     * instant it crosses the compared value is computed.
     */
    record Predicted(String trait, PredictedTrait what, Operator op, Object value, PredictiveModels models)
            implements Condition {
        public boolean matches(ProfileFacts facts, Instant now) {
            return op.test(observe(facts, now), value, now);
        }

        /** The trait's value at {@code now}, or null where it is undefined. */
        public Object observe(ProfileFacts facts, Instant now) {
            return what.value(models, facts.events(), now);
        }

        public Instant relevantSince(Instant now) {
            return what.relevantSince(now);
        }

        public void collectChangeInstants(ProfileFacts facts, Instant after, SortedSet<Instant> into) {
            // The bisection probes the trait a few dozen times: filter the profile's events to those it reads once.
            Set<String> names = what.eventNames();
            List<ObservedEvent> read = facts.events().stream().filter(e -> names.contains(e.name())).toList();
            List<Predicate<Instant>> thresholds = new ArrayList<>();
            List<?> bounds = op == Operator.BETWEEN && value instanceof List<?> list ? list
                    : op.isOrdering() ? List.of(value) : List.of();
            for (Object bound : bounds) {
                thresholds.add(t -> Operator.GTE.test(what.value(models, read, t), bound));
                thresholds.add(t -> Operator.GT.test(what.value(models, read, t), bound));
            }
            what.collectChangeInstants(read, after, thresholds, into);
        }

        public Explanation explain(ProfileFacts facts, Instant now) {
            String description = "predicted " + trait.substring(PredictedTrait.PREFIX.length() + 1) + " " + op.json()
                    + (op.isUnary() ? "" : " " + value)
                    + (what.metric().fromOrders() ? models == null ? " (no model fitted yet)" : " (model v" + models.version() + ")" : "");
            return new Explanation("predicted", description, observe(facts, now), matches(facts, now), List.of());
        }

        /** This comparison with the workspace's current models. */
        public Predicted with(PredictiveModels current) {
            return new Predicted(trait, what, op, value, current);
        }
    }

    private static Instant earliest(List<Condition> conditions, Instant now) {
        return conditions.stream().map(c -> c.relevantSince(now)).min(Instant::compareTo).orElse(now);
    }

    /** A value at a dotted path of nested maps, or null. */
    static Object resolve(Map<String, Object> values, String path) {
        Object current = values;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }
}
