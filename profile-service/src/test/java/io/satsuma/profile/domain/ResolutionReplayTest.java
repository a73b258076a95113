package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What resolving a poll in arrival order on an in-memory graph must carry from one event to the next; that the whole
 * outcome equals recording one event at a time is BatchRecordingTest's (on PostgreSQL).
 */
class ResolutionReplayTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant POLL = Instant.parse("2026-02-01T00:00:00Z");

    private final Map<Identifier, IdentityGraph.Ownership> ownership = new HashMap<>();
    private final Map<String, KnownProfile> known = new HashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    @Test
    void aSurvivorInheritsWhatItsAbsorbedProfileWasKeptApartFromWithinThePoll() {
        aProfile("oldest", T0, Set.of(), anon("phone"));
        aProfile("laptop-owner", T0.plusSeconds(60), Set.of("tablet-owner"), anon("laptop"));
        aProfile("tablet-owner", T0.plusSeconds(120), Set.of("laptop-owner"), anon("tablet"));

        ResolutionReplay.Outcome outcome = replay(
                List.of(anon("phone"), anon("laptop")),   // merges laptop-owner into oldest
                List.of(anon("phone"), anon("tablet")));  // would merge tablet-owner, which was kept apart from it

        assertThat(outcome.steps().get(0).resolution()).isInstanceOf(Resolution.Merged.class);
        Resolution second = outcome.steps().get(1).resolution();
        assertThat(second).isInstanceOf(Resolution.Attached.class);
        assertThat(second.refusals()).singleElement().satisfies(r -> assertThat(r.reason()).contains("kept apart"));
        assertThat(outcome.separated()).containsExactly(new ResolutionReplay.Inheritance("oldest", List.of("laptop-owner")));
    }

    @Test
    void profilesCreatedByThePollAreAsOldAsTheirArrivalOrderAndAChainOfMergesEndsAtTheLastSurvivor() {
        aProfile("old", T0, Set.of(), anon("desk"));

        ResolutionReplay.Outcome outcome = replay(
                List.of(anon("phone")),                   // new-1, created first
                List.of(anon("laptop")),                  // new-2
                List.of(anon("laptop"), anon("phone")),   // new-2 into new-1: the earlier-created survives
                List.of(anon("desk"), anon("phone")));    // new-1 (with new-2) into old

        assertThat(outcome.created()).containsOnlyKeys("new-1", "new-2");
        assertThat(outcome.created().get("new-1")).isBefore(outcome.created().get("new-2"));
        assertThat(((Resolution.Merged) outcome.steps().get(2).resolution()).absorbed()).containsExactly("new-2");
        assertThat(outcome.survivorOf()).containsEntry("new-1", "old").containsEntry("new-2", "old");
        assertThat(outcome.holderOf("new-2")).isEqualTo("old");
        // Identifiers the poll attached end at the last survivor, with the origin they were first attributed to.
        assertThat(outcome.attached()).containsEntry(anon("phone"), new IdentityGraph.Ownership("old", "new-1"))
                .containsEntry(anon("laptop"), new IdentityGraph.Ownership("old", "new-2"));
        assertThat(outcome.separated()).containsExactly(new ResolutionReplay.Inheritance("new-1", List.of("new-2")),
                new ResolutionReplay.Inheritance("old", List.of("new-1", "new-2")));
    }

    @Test
    void anEventSeesTheIdentifiersTheEventsBeforeItAttachedAndTheLimitsTheyFilled() {
        aProfile("p", T0, Set.of(), user("u1"));

        ResolutionReplay.Outcome outcome = replay(
                List.of(user("u1"), email("1@x.io")), List.of(user("u1"), email("2@x.io")),
                List.of(user("u1"), email("3@x.io")), List.of(user("u1"), email("4@x.io")),
                List.of(user("u1"), email("5@x.io")), List.of(user("u1"), email("6@x.io")),
                List.of(email("1@x.io")));

        assertThat(outcome.steps().get(5).resolution().newIdentifiers()).isEmpty();
        assertThat(outcome.steps().get(5).resolution().refusals()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("5 identifier(s) of type email"));
        assertThat(outcome.steps().get(6).resolution()).isInstanceOf(Resolution.Attached.class);
        assertThat(outcome.steps().get(6).resolution().profileId()).isEqualTo("p");
        assertThat(outcome.attached()).hasSize(5);
    }

    @SafeVarargs
    private ResolutionReplay.Outcome replay(List<Identifier>... events) {
        List<ResolutionReplay.Item> items = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            items.add(new ResolutionReplay.Item(i, events[i]));
        }
        return ResolutionReplay.replay(items, ownership, known, IdentityRules.defaults(),
                () -> "new-" + next.incrementAndGet(), POLL);
    }

    private void aProfile(String id, Instant createdAt, Set<String> keptApartFrom, Identifier... identifiers) {
        known.put(id, new KnownProfile(id, createdAt, Set.of(identifiers), keptApartFrom));
        for (Identifier identifier : identifiers) {
            ownership.put(identifier, new IdentityGraph.Ownership(id, id));
        }
    }

    private static Identifier anon(String value) {
        return new Identifier(IdentityRules.ANONYMOUS_ID, value);
    }

    private static Identifier user(String value) {
        return new Identifier(IdentityRules.USER_ID, value);
    }

    private static Identifier email(String value) {
        return new Identifier(IdentityRules.EMAIL, value);
    }
}
