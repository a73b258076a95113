package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sequences of two or more steps, checked against a brute-force oracle that enumerates every chain of
 * events, over random histories (names repeat, timestamps collide, some lie in the future) and random
 * evaluation instants; and their time-driven flips against a second-by-second scan.
 */
class SequenceTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final List<String> NAMES = List.of("A", "B", "C");

    @Test
    void threeStepFunnelWithAndWithoutTheLastStep() throws Exception {
        Instant viewed = NOW.minus(Duration.ofMinutes(90));
        ProfileFacts abandoned = ConditionTest.aProfile().withEvent("Product Viewed", viewed, Map.of())
                .withEvent("Product Added", viewed.plus(Duration.ofMinutes(5)), Map.of()).build();
        ProfileFacts bought = ConditionTest.aProfile().withEvent("Product Viewed", viewed, Map.of())
                .withEvent("Product Added", viewed.plus(Duration.ofMinutes(5)), Map.of())
                .withEvent("Order Completed", viewed.plus(Duration.ofMinutes(30)), Map.of()).build();
        ProfileFacts addedBeforeViewing = ConditionTest.aProfile()
                .withEvent("Product Added", viewed.minus(Duration.ofMinutes(5)), Map.of())
                .withEvent("Product Viewed", viewed, Map.of()).build();
        String steps = "[{\"event\":\"Product Viewed\"},{\"event\":\"Product Added\"},{\"event\":\"Order Completed\"}]";
        Condition abandonedFunnel = LanguageTest.parse("{\"sequence\":" + steps
                + ",\"op\":\"not_followed_by\",\"within\":\"PT1H\",\"during\":\"P7D\"}");
        Condition completedFunnel = LanguageTest.parse("{\"sequence\":" + steps
                + ",\"op\":\"followed_by\",\"within\":\"PT1H\",\"during\":\"P7D\"}");

        assertThat(abandonedFunnel.matches(abandoned, NOW)).isTrue();
        assertThat(abandonedFunnel.matches(bought, NOW)).isFalse();
        assertThat(abandonedFunnel.matches(addedBeforeViewing, NOW)).as("steps out of order are no chain").isFalse();
        assertThat(completedFunnel.matches(bought, NOW)).isTrue();
        assertThat(completedFunnel.matches(abandoned, NOW)).isFalse();
    }

    @Test
    void matchesEqualsTheBruteForceChainEnumeration() {
        Random random = new Random(7);
        int held = 0;
        int runs = 20_000;
        for (int run = 0; run < runs; run++) {
            Condition.Sequence sequence = randomSequence(random);
            ProfileFacts facts = randomHistory(random);
            Instant at = NOW.plusSeconds(random.nextInt(500) - 250);
            boolean expected = oracle(sequence, facts.events(), at);
            assertThat(sequence.matches(facts, at)).as("run %d: %s at %s over %s", run, sequence, at, facts.events())
                    .isEqualTo(expected);
            held += expected ? 1 : 0;
        }
        assertThat(held).as("the random cases exercise both answers").isBetween(runs / 20, runs - runs / 20);
    }

    @Test
    void nextFlipIsTheFirstSecondAtWhichTheResultChanges() {
        Random random = new Random(11);
        for (int run = 0; run < 2_000; run++) {
            Condition.Sequence sequence = randomSequence(random);
            ProfileFacts facts = randomHistory(random);
            boolean current = sequence.matches(facts, NOW);
            Optional<Instant> expected = Optional.empty();
            for (int second = 1; second <= 700; second++) {
                if (sequence.matches(facts, NOW.plusSeconds(second)) != current) {
                    expected = Optional.of(NOW.plusSeconds(second));
                    break;
                }
            }
            assertThat(sequence.nextFlip(facts, NOW)).as("run %d: %s", run, sequence).isEqualTo(expected);
        }
    }

    @Test
    void aSequenceNeedsTwoToEightSteps() throws Exception {
        String one = "{\"sequence\":[{\"event\":\"A\"}],\"op\":\"followed_by\",\"within\":\"PT1H\",\"during\":\"P1D\"}";
        assertThat(ConditionParser.parse(ConditionTest.JSON.readTree(one)).errors())
                .extracting(ConditionError::pointer).containsExactly("/sequence");
        String nine = "{\"sequence\":[" + String.join(",", Collections.nCopies(9, "{\"event\":\"A\"}"))
                + "],\"op\":\"followed_by\",\"within\":\"PT1H\",\"during\":\"P1D\"}";
        assertThat(ConditionParser.parse(ConditionTest.JSON.readTree(nine)).errors())
                .extracting(ConditionError::pointer).containsExactly("/sequence");
    }

    /** Every chain, tried one by one: the definition in the condition language reference, literally. */
    private static boolean oracle(Condition.Sequence s, List<ObservedEvent> events, Instant now) {
        int n = s.steps().size();
        for (ObservedEvent a : events) {
            Instant t1 = a.occurredAt();
            if (!selects(s.steps().get(0), a) || t1.isAfter(now) || !t1.isAfter(now.minus(s.during()))) {
                continue;
            }
            Instant deadline = t1.plus(s.within());
            if (!s.negated()) {
                Instant until = deadline.isBefore(now) ? deadline : now;
                if (!chains(s, events, List.of(a), n, until).isEmpty()) {
                    return true;
                }
            } else if (!deadline.isAfter(now)) {
                for (List<ObservedEvent> chain : chains(s, events, List.of(a), n - 1, deadline)) {
                    Instant end = chain.get(chain.size() - 1).occurredAt();
                    boolean followed = events.stream().anyMatch(c -> selects(s.steps().get(n - 1), c)
                            && c.occurredAt().isAfter(end) && !c.occurredAt().isAfter(deadline));
                    if (!followed) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** All chains extending {@code prefix} to {@code length} steps, each event strictly after the last, none after {@code until}. */
    private static List<List<ObservedEvent>> chains(Condition.Sequence s, List<ObservedEvent> events,
                                                    List<ObservedEvent> prefix, int length, Instant until) {
        if (prefix.size() == length) {
            return List.of(prefix);
        }
        List<List<ObservedEvent>> all = new ArrayList<>();
        Instant last = prefix.get(prefix.size() - 1).occurredAt();
        for (ObservedEvent e : events) {
            if (selects(s.steps().get(prefix.size()), e) && e.occurredAt().isAfter(last) && !e.occurredAt().isAfter(until)) {
                List<ObservedEvent> longer = new ArrayList<>(prefix);
                longer.add(e);
                all.addAll(chains(s, events, longer, length, until));
            }
        }
        return all;
    }

    private static boolean selects(Condition.EventMatcher step, ObservedEvent e) {
        return step.event().equals(e.name());
    }

    private static Condition.Sequence randomSequence(Random random) {
        int length = 2 + random.nextInt(3);
        List<Condition.EventMatcher> steps = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            steps.add(new Condition.EventMatcher(NAMES.get(random.nextInt(NAMES.size())), List.of()));
        }
        return new Condition.Sequence(steps, Duration.ofSeconds(1 + random.nextInt(200)),
                Duration.ofSeconds(1 + random.nextInt(300)), random.nextBoolean());
    }

    private static ProfileFacts randomHistory(Random random) {
        ConditionTest.ProfileFactsBuilder builder = ConditionTest.aProfile();
        int count = 2 + random.nextInt(9);
        for (int i = 0; i < count; i++) {
            // Coarse timestamps so that ties happen; some in the future (clock skew, scheduled imports).
            builder.withEvent(NAMES.get(random.nextInt(NAMES.size())), NOW.plusSeconds(10L * (random.nextInt(30) - 22)), Map.of());
        }
        return builder.build();
    }
}
