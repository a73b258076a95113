package io.satsuma.segment.domain;

import io.satsuma.contracts.event.v1.EcommerceSpec;
import io.satsuma.predictive.Affinity;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.predictive.CustomerValue;
import io.satsuma.predictive.Purchases;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * A predicted trait, {@code $predicted.<name>}, computed for one profile at one instant from the workspace's current
 * models and the profile's own events (ADR 016) — never stored, so it changes as time passes without new events:
 * <ul>
 *   <li>{@code pAlive}: P(the customer is still active); {@code churnRisk} = 1 − pAlive;</li>
 *   <li>{@code expectedOrders.<P…D>}: orders expected in that many days; {@code orderProbability.<P…D>}: P(at least
 *   one order in them);</li>
 *   <li>{@code expectedOrderValue}: the value of a future order (Gamma-Gamma); {@code value.<P…D>}: the value of
 *   the orders expected in that many days, discounted 10 % a year;</li>
 *   <li>{@code affinity.<category>}: the time-decayed affinity score of a category ({@link Affinity}: a view 1, a cart
 *   add 3, a purchase 5, halving every 30 days); {@code topCategories}: the three categories with the highest
 *   scores.</li>
 * </ul>
 * The order-based traits read the profile's {@code Order Completed} events as the models were fitted: purchases on
 * one UTC day are one purchase, time in whole days since the first. They are undefined (and so never match) for a
 * profile without an order and for a workspace without a fitted model. Between two orders each of them is monotone
 * in time (P(alive) falls; the posterior purchase rate falls), which is what makes a threshold crossing computable.
 *
 * @param horizon the period ahead, for the traits that take one
 * @param item    the category, for {@code affinity}
 */
public record PredictedTrait(Metric metric, Duration horizon, String item) {
    public static final String PREFIX = "$predicted";
    public static final int TOP_CATEGORIES = 3;
    /** Interactions older than this contribute less than a millionth of their weight: they are not read. */
    static final Duration AFFINITY_MEMORY = Affinity.DEFAULT_HALF_LIFE.multipliedBy(20);
    static final String PRODUCT_VIEWED = "Product Viewed";
    static final String PRODUCT_ADDED = "Product Added";
    /** How far ahead a threshold crossing is looked for when no event bounds the search. */
    private static final Duration SEARCH_HORIZON = Duration.ofDays(100 * 365);

    /** The traits; those with {@code horizon} take a period ({@code expectedOrders.P90D}), {@code affinity} a category. */
    public enum Metric {
        P_ALIVE("pAlive"), CHURN_RISK("churnRisk"), EXPECTED_ORDERS("expectedOrders"),
        ORDER_PROBABILITY("orderProbability"), EXPECTED_ORDER_VALUE("expectedOrderValue"), VALUE("value"),
        AFFINITY("affinity"), TOP_CATEGORIES("topCategories");

        private final String json;

        Metric(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        boolean hasHorizon() {
            return this == EXPECTED_ORDERS || this == ORDER_PROBABILITY || this == VALUE;
        }

        /** Whether the trait comes from the fitted models and the profile's orders (else from its affinity). */
        public boolean fromOrders() {
            return this != AFFINITY && this != TOP_CATEGORIES;
        }
    }

    /** A parsed trait name, or the reason it is not one. */
    public record Parsed(PredictedTrait trait, String error) {
    }

    public static boolean isPredicted(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + ".");
    }

    /** Reads {@code $predicted.<metric>[.<period or category>]}. */
    public static Parsed parse(String path) {
        String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length() + 1) : "";
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        String argument = dot < 0 ? null : rest.substring(dot + 1);
        for (Metric metric : Metric.values()) {
            if (!metric.json.equals(name)) {
                continue;
            }
            if (metric.hasHorizon()) {
                Duration horizon = argument == null ? null : days(argument);
                return horizon == null
                        ? new Parsed(null, "'" + PREFIX + "." + name + "' needs a period in whole days, e.g. '"
                                + PREFIX + "." + name + ".P90D'")
                        : new Parsed(new PredictedTrait(metric, horizon, null), null);
            }
            if (metric == Metric.AFFINITY) {
                return argument == null || argument.isBlank()
                        ? new Parsed(null, "'" + PREFIX + ".affinity' needs a category, e.g. '" + PREFIX + ".affinity.Shoes'")
                        : new Parsed(new PredictedTrait(metric, null, argument), null);
            }
            return argument != null ? new Parsed(null, "'" + PREFIX + "." + name + "' takes no '." + argument + "'")
                    : new Parsed(new PredictedTrait(metric, null, null), null);
        }
        return new Parsed(null, "unknown predicted trait '" + rest + "'; expected one of: pAlive, churnRisk, "
                + "expectedOrders.<P…D>, orderProbability.<P…D>, expectedOrderValue, value.<P…D>, affinity.<category>, "
                + "topCategories");
    }

    private static Duration days(String text) {
        try {
            Duration d = Duration.parse(text);
            return d.isNegative() || d.isZero() || d.toSeconds() % 86_400 != 0 || d.toDays() > 3_650 ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The event names the trait reads. */
    public Set<String> eventNames() {
        return metric.fromOrders() ? Set.of(EcommerceSpec.ORDER_COMPLETED)
                : Set.of(PRODUCT_VIEWED, PRODUCT_ADDED, EcommerceSpec.ORDER_COMPLETED);
    }

    /** The earliest event that matters at {@code now}: every order (the models count from the first), or recent interactions. */
    public Instant relevantSince(Instant now) {
        return metric.fromOrders() ? Instant.EPOCH : now.minus(AFFINITY_MEMORY);
    }

    /** The trait's value (a Double, or a List of categories), or null where it is undefined. */
    public Object value(PredictiveModels models, List<ObservedEvent> events, Instant now) {
        if (!metric.fromOrders()) {
            Affinity affinity = affinity(events, now);
            if (metric == Metric.AFFINITY) {
                return affinity.score(item, now);
            }
            return affinity.top(TOP_CATEGORIES, now).stream().map(Affinity.Score::item).toList();
        }
        if (models == null) {
            return null;
        }
        Customer customer = customer(events, now, models.unitDays());
        if (customer == null) {
            return null;
        }
        double score = score(models, customer);
        return Double.isFinite(score) ? score : null;
    }

    /** The order-based trait of a customer as the models see them. */
    double score(PredictiveModels models, Customer customer) {
        BgNbd purchases = models.purchases();
        double t = horizon == null ? 0 : horizon.toDays() / (double) models.unitDays();
        return switch (metric) {
            case P_ALIVE -> purchases.pAlive(customer);
            case CHURN_RISK -> 1 - purchases.pAlive(customer);
            case EXPECTED_ORDERS -> purchases.expectedPurchases(customer, t);
            case ORDER_PROBABILITY -> purchases.probabilityOfPurchase(customer, t);
            case EXPECTED_ORDER_VALUE -> models.spend().expectedValue(customer);
            case VALUE -> CustomerValue.expected(purchases, models.spend(), customer, t,
                    CustomerValue.discountPerUnit(CustomerValue.YEARLY_DISCOUNT, models.unitDays()));
            default -> throw new IllegalStateException(metric.json);
        };
    }

    /** The profile's orders by {@code now} as the models read them (same-day orders merged), or null before the first. */
    static Customer customer(List<ObservedEvent> events, Instant now, int unitDays) {
        List<Purchases.Purchase> purchases = new ArrayList<>();
        for (ObservedEvent e : events) {
            if (EcommerceSpec.ORDER_COMPLETED.equals(e.name()) && !e.occurredAt().isAfter(now)) {
                purchases.add(new Purchases.Purchase(LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC),
                        EcommerceSpec.revenueOf(e.properties()).doubleValue()));
            }
        }
        return Purchases.summarise(purchases, LocalDate.ofInstant(now, ZoneOffset.UTC), unitDays);
    }

    /** Views ({@code Product Viewed}), cart adds ({@code Product Added}) and purchased lines by category, up to {@code now}. */
    static Affinity affinity(List<ObservedEvent> events, Instant now) {
        Affinity affinity = Affinity.empty(Affinity.DEFAULT_HALF_LIFE);
        Instant since = now.minus(AFFINITY_MEMORY);
        for (ObservedEvent e : events) {
            if (e.occurredAt().isAfter(now) || !e.occurredAt().isAfter(since)) {
                continue;
            }
            if (EcommerceSpec.ORDER_COMPLETED.equals(e.name())) {
                for (EcommerceSpec.ProductLine line : EcommerceSpec.productsOf(e.properties())) {
                    if (line.category() != null) {
                        affinity = affinity.with(line.category(), Affinity.Interaction.PURCHASE, e.occurredAt());
                    }
                }
            } else if (e.properties().get("category") instanceof String category && !category.isBlank()) {
                affinity = affinity.with(category, PRODUCT_ADDED.equals(e.name()) ? Affinity.Interaction.CART_ADD
                        : Affinity.Interaction.VIEW, e.occurredAt());
            }
        }
        return affinity;
    }

    /**
     * The instants after {@code after} at which this trait's comparisons can change with no new input: each event the
     * trait reads that is still to come, each interaction leaving the affinity memory, and, between those, the instant
     * at which the trait crosses each threshold — found by bisection on the monotone {@code thresholdTests} (one per
     * "value ≥ bound" and "value > bound"), over whole UTC days for the order-based traits (they count days), over
     * milliseconds for affinity.
     */
    public void collectChangeInstants(List<ObservedEvent> events, Instant after, List<Predicate<Instant>> thresholdTests,
                                      SortedSet<Instant> into) {
        SortedSet<Instant> bounds = new TreeSet<>();
        Set<String> names = eventNames();
        for (ObservedEvent e : events) {
            if (!names.contains(e.name())) {
                continue;
            }
            if (e.occurredAt().isAfter(after)) {
                bounds.add(e.occurredAt());
            }
            Instant forgotten = e.occurredAt().plus(AFFINITY_MEMORY);
            if (!metric.fromOrders() && forgotten.isAfter(after)) {
                bounds.add(forgotten);
            }
        }
        into.addAll(bounds);
        for (Predicate<Instant> test : thresholdTests) {
            Instant start = after;
            for (Instant end : bounds) {
                crossing(start, end, test).ifPresent(into::add);
                start = end;
            }
            crossing(start, start.plus(SEARCH_HORIZON), test).ifPresent(into::add);
        }
    }

    /** The first instant in ({@code from}, {@code to}) at which the monotone {@code test} differs from its value at {@code from}. */
    private Optional<Instant> crossing(Instant from, Instant to, Predicate<Instant> test) {
        boolean initial = test.test(from);
        // Order-based traits are constant within a UTC day: their candidates are the starts of days.
        LongFunction<Instant> at = metric.fromOrders()
                ? day -> LocalDate.ofEpochDay(day).atStartOfDay(ZoneOffset.UTC).toInstant()
                : Instant::ofEpochMilli;
        long low = metric.fromOrders() ? LocalDate.ofInstant(from, ZoneOffset.UTC).toEpochDay() : from.toEpochMilli();
        long high = metric.fromOrders() ? LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC).toEpochDay()
                : to.toEpochMilli() - 1;
        if (high <= low || test.test(at.apply(high)) == initial) {
            return Optional.empty();
        }
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (test.test(at.apply(middle)) == initial) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return Optional.of(at.apply(high));
    }
}
