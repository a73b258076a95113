package io.satsuma.predictive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The affinity score against its definition, summed by brute force over the interactions, and its properties. */
class AffinityTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration HALF_LIFE = Affinity.DEFAULT_HALF_LIFE;
    private static final List<String> CATEGORIES = List.of("shoes", "coffee", "books", "garden", "toys");

    record Event(String item, Affinity.Interaction interaction, Instant at) {
    }

    @Test
    void aWeightHalvesEveryHalfLife() {
        Affinity affinity = Affinity.empty(HALF_LIFE).with("coffee", Affinity.Interaction.PURCHASE, T0);
        assertThat(affinity.score("coffee", T0)).isCloseTo(5, within(1e-12));
        assertThat(affinity.score("coffee", T0.plus(HALF_LIFE))).isCloseTo(2.5, within(1e-12));
        assertThat(affinity.score("coffee", T0.plus(HALF_LIFE.multipliedBy(2)))).isCloseTo(1.25, within(1e-12));
        assertThat(affinity.score("tea", T0)).isZero();
    }

    @Test
    void scoresEqualTheDefinitionWhateverTheOrderTheInteractionsArriveIn() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            List<Event> events = randomEvents(random, 1 + random.nextInt(40));
            Collections.shuffle(events, random);
            Affinity affinity = Affinity.empty(HALF_LIFE);
            for (Event e : events) {
                affinity = affinity.with(e.item(), e.interaction(), e.at());
            }
            Instant at = T0.plus(Duration.ofDays(120 + random.nextInt(60)));
            for (String category : CATEGORIES) {
                double expected = bruteForce(events, category, at);
                assertThat(affinity.score(category, at)).isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
            }
        }
    }

    @Test
    void topRanksByScoreAndARecentViewOutranksAnOldPurchase() {
        Instant now = T0.plus(Duration.ofDays(90));
        Affinity affinity = Affinity.empty(HALF_LIFE)
                .with("garden", Affinity.Interaction.PURCHASE, T0)
                .with("books", Affinity.Interaction.VIEW, now)
                .with("coffee", Affinity.Interaction.CART_ADD, now.minus(Duration.ofDays(1)));
        List<Affinity.Score> top = affinity.top(2, now);
        assertThat(top).extracting(Affinity.Score::item).containsExactly("coffee", "books");
        assertThat(affinity.top(5, now)).extracting(Affinity.Score::item).containsExactly("coffee", "books", "garden");
        assertThat(affinity.score("garden", now)).isCloseTo(0.625, within(1e-12));
    }

    @Test
    void aMergeAddsTheTwoProfilesUpAndAnUnmergeTakesThemApartAgain() {
        Random random = new Random(9);
        for (int round = 0; round < 100; round++) {
            List<Event> mine = randomEvents(random, 1 + random.nextInt(20));
            List<Event> theirs = randomEvents(random, 1 + random.nextInt(20));
            Affinity a = build(mine);
            Affinity b = build(theirs);
            Affinity merged = a.merge(b);
            Affinity reversed = b.merge(a);
            Instant at = T0.plus(Duration.ofDays(200));
            List<Event> both = new ArrayList<>(mine);
            both.addAll(theirs);
            Affinity unmerged = merged;
            for (Event e : theirs) {
                unmerged = unmerged.without(e.item(), e.interaction(), e.at());
            }
            for (String category : CATEGORIES) {
                double expected = bruteForce(both, category, at);
                assertThat(merged.score(category, at)).isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
                assertThat(reversed.score(category, at)).isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
                assertThat(unmerged.score(category, at)).isCloseTo(a.score(category, at), within(1e-9));
            }
        }
    }

    @Test
    void aScoreBeforeTheLatestInteractionIsNotKnown() {
        Affinity affinity = Affinity.empty(HALF_LIFE).with("toys", Affinity.Interaction.VIEW, T0);
        assertThatThrownBy(() -> affinity.score("toys", T0.minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static Affinity build(List<Event> events) {
        Affinity affinity = Affinity.empty(HALF_LIFE);
        for (Event e : events) {
            affinity = affinity.with(e.item(), e.interaction(), e.at());
        }
        return affinity;
    }

    private static List<Event> randomEvents(Random random, int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new Event(CATEGORIES.get(random.nextInt(CATEGORIES.size())),
                    Affinity.Interaction.values()[random.nextInt(3)], T0.plus(Duration.ofMinutes(random.nextInt(120 * 24 * 60)))));
        }
        return events;
    }

    /** The definition, summed directly. */
    private static double bruteForce(List<Event> events, String item, Instant at) {
        double sum = 0;
        for (Event e : events) {
            if (e.item().equals(item) && !e.at().isAfter(at)) {
                double weight = switch (e.interaction()) {
                    case VIEW -> 1;
                    case CART_ADD -> 3;
                    case PURCHASE -> 5;
                };
                sum += weight * Math.pow(0.5, Duration.between(e.at(), at).toMillis() / (double) HALF_LIFE.toMillis());
            }
        }
        return sum;
    }
}
