package io.satsuma.predictive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile's affinity for categories (or brands, or products): every interaction adds its weight — a view 1, a
 * cart add 3, a purchase 5 — and every weight halves each half-life (30 days by default) after the interaction:
 * <pre>score(c, t) = Σ over interactions i with c, at tᵢ ≤ t, of weight(i) · 2^(−(t − tᵢ) / halfLife)</pre>
 * Scores are kept as of a reference instant and carried forward by one multiplication, so an interaction is one
 * update, two profiles merge by adding their scores, and an unmerge subtracts the interactions that move back.
 * Immutable: every operation returns a new value.
 */
public final class Affinity {
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(30);

    /** What a profile did with an item, and what it weighs. */
    public enum Interaction {
        VIEW(1), CART_ADD(3), PURCHASE(5);

        final double weight;

        Interaction(double weight) {
            this.weight = weight;
        }
    }

    /** An item and its score. */
    public record Score(String item, double score) {
    }

    private final Duration halfLife;
    private final Instant asOf;
    private final Map<String, Double> scores;

    private Affinity(Duration halfLife, Instant asOf, Map<String, Double> scores) {
        this.halfLife = halfLife;
        this.asOf = asOf;
        this.scores = scores;
    }

    public static Affinity empty(Duration halfLife) {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("the half-life must be positive");
        }
        return new Affinity(halfLife, Instant.EPOCH, Map.of());
    }

    /** With one more interaction at {@code at} (which may be earlier than others: the sum does not depend on order). */
    public Affinity with(String item, Interaction interaction, Instant at) {
        return add(item, interaction.weight, at);
    }

    /** Without an interaction it had (an unmerge moving it to another profile). */
    public Affinity without(String item, Interaction interaction, Instant at) {
        return add(item, -interaction.weight, at);
    }

    /** The affinity of a profile that absorbed {@code other} (a merge): the scores add up. */
    public Affinity merge(Affinity other) {
        if (!halfLife.equals(other.halfLife)) {
            throw new IllegalArgumentException("affinities with different half-lives do not add up");
        }
        Instant reference = asOf.isAfter(other.asOf) ? asOf : other.asOf;
        Map<String, Double> merged = new HashMap<>(carried(reference));
        other.carried(reference).forEach((item, score) -> merged.merge(item, score, Double::sum));
        return new Affinity(halfLife, reference, merged);
    }

    /** The item's score at {@code at}, which must not precede the latest interaction. */
    public double score(String item, Instant at) {
        requireNotBefore(at);
        return scores.getOrDefault(item, 0.0) * decay(asOf, at);
    }

    /** The k items with the highest scores at {@code at}, highest first (ties by item). */
    public List<Score> top(int k, Instant at) {
        requireNotBefore(at);
        double factor = decay(asOf, at);
        List<Score> all = new ArrayList<>();
        scores.forEach((item, score) -> {
            if (score * factor > 1e-12) {
                all.add(new Score(item, score * factor));
            }
        });
        all.sort(Comparator.comparingDouble(Score::score).reversed().thenComparing(Score::item));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    private Affinity add(String item, double weight, Instant at) {
        Instant reference = at.isAfter(asOf) ? at : asOf;
        Map<String, Double> next = new HashMap<>(carried(reference));
        next.merge(item, weight * decay(at, reference), Double::sum);
        return new Affinity(halfLife, reference, next);
    }

    /** The scores carried forward to {@code reference} (never backwards: they are kept as of the latest instant). */
    private Map<String, Double> carried(Instant reference) {
        double factor = decay(asOf, reference);
        Map<String, Double> carried = new HashMap<>();
        scores.forEach((item, score) -> carried.put(item, score * factor));
        return carried;
    }

    /** The sum is kept from the latest interaction on: earlier, it would count interactions that had not happened. */
    private void requireNotBefore(Instant at) {
        if (at.isBefore(asOf)) {
            throw new IllegalArgumentException("scores are known from " + asOf + " on, not at " + at);
        }
    }

    /** 2^(−(to − from) / halfLife); above 1 when {@code to} is before {@code from} (an interaction added late). */
    private double decay(Instant from, Instant to) {
        double halfLives = Duration.between(from, to).toMillis() / (double) halfLife.toMillis();
        return Math.pow(2, -halfLives);
    }
}
