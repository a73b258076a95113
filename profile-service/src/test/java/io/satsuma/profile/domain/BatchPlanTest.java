package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.Identifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
    private static final Identifier A1 = new Identifier(IdentityRules.ANONYMOUS_ID, "a1");
    private static final Identifier A2 = new Identifier(IdentityRules.ANONYMOUS_ID, "a2");
    private static final Identifier U1 = new Identifier(IdentityRules.USER_ID, "u1");
    private static final Identifier U2 = new Identifier(IdentityRules.USER_ID, "u2");
    private static final Identifier E1 = new Identifier(IdentityRules.EMAIL, "one@example.com");
    private static final Identifier E2 = new Identifier(IdentityRules.EMAIL, "two@example.com");

    @Test
    void eventsWhoseIdentifiersAllBelongToOneProfileAreKnown() {
        BatchPlan.Split split = split(List.of(item(0, "track", A1, U1), item(1, "page", A1)),
                Map.of(A1, "p1", U1, "p1"));

        assertThat(split.known()).isEqualTo(Map.of("p1", List.of(0, 1)));
        assertThat(split.created()).isEmpty();
        assertThat(split.oneByOne()).isEmpty();
    }

    @Test
    void eventsOfUnknownIdentifiersSharingThemWithNoOtherSetMakeOneNewProfile() {
        BatchPlan.Split split = split(List.of(item(0, "track", U2), item(1, "screen", U2), item(2, "track", A2)),
                Map.of());

        assertThat(split.created()).isEqualTo(Map.of(Set.of(U2), List.of(0, 1), Set.of(A2), List.of(2)));
        assertThat(split.oneByOne()).isEmpty();
    }

    @Test
    void whateverResolutionHasToDecideGoesOneByOne() {
        BatchPlan.Split split = split(List.of(
                item(0, "identify", A1),            // sets traits on p1, which item 1 touches first
                item(1, "track", A1, U2),           // would attach u2 to p1
                item(2, "track", A1, U1),           // links two profiles
                item(3, "track", A2),               // a2 also arrives with u2 below: not the same set
                item(4, "track", A2, U2),
                item(5, "alias", A2)), Map.of(A1, "p1", U1, "p2"));

        assertThat(split.oneByOne()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(split.known()).isEmpty();
        assertThat(split.created()).isEmpty();
    }

    @Test
    void identifyCallsOfKnownAndOfNewPeopleAreDecidedInBulk() {
        BatchPlan.Split split = split(List.of(item(0, "identify", A1, U1), item(1, "identify", U2, A2, E2),
                item(2, "track", U2, A2, E2)), Map.of(A1, "p1", U1, "p1"));

        assertThat(split.known()).isEqualTo(Map.of("p1", List.of(0)));
        assertThat(split.created()).isEqualTo(Map.of(Set.of(U2, A2, E2), List.of(1, 2)));
        assertThat(split.oneByOne()).isEmpty();
    }

    @Test
    void aNewPersonsIdentifyAndTheEventsThatFollowItByOneOfItsIdentifiersMakeOneNewProfile() {
        BatchPlan.Split split = split(List.of(item(0, "identify", U2, A2, E2), item(1, "track", U2),
                item(2, "page", A2), item(3, "track", E1)), Map.of());

        assertThat(split.created()).isEqualTo(Map.of(Set.of(U2, A2, E2), List.of(0, 1, 2), Set.of(E1), List.of(3)));
        assertThat(List.copyOf(split.created().keySet().iterator().next())).as("identifiers in the order they join")
                .containsExactly(U2, A2, E2);
        assertThat(split.oneByOne()).isEmpty();
    }

    @Test
    void newIdentifiersThatResolutionWouldPutOnTwoProfilesFirstOrRefuseGoOneByOne() {
        // a2 and u2 would each start a profile before the third event merges them.
        BatchPlan.Split merging = split(List.of(item(0, "page", A2), item(1, "track", U2),
                item(2, "identify", A2, U2)), Map.of());
        // A second user id (a login id) on the same new person would start another profile.
        BatchPlan.Split login = split(List.of(item(0, "identify", A2, U1), item(1, "identify", A2, U2)),
                Map.of());

        assertThat(merging.oneByOne()).containsExactly(0, 1, 2);
        assertThat(login.oneByOne()).containsExactly(0, 1);
        assertThat(merging.created()).isEmpty();
    }

    @Test
    void identifiersJoiningOneProfileWithinItsLimitsAreAttachedInBulkOncePerSet() {
        BatchPlan.Split split = BatchPlan.split(List.of(item(0, "identify", A1, E1), item(1, "track", A1, E1),
                        item(2, "page", A1)), Map.of(A1, "p1"), Map.of("p1", Set.of(A1)), IdentityRules.defaults());

        assertThat(split.known()).isEqualTo(Map.of("p1", List.of(0, 1, 2)));
        assertThat(split.attach()).isEqualTo(Map.of(0, List.of(E1)));
        assertThat(split.oneByOne()).isEmpty();
    }

    @Test
    void whatResolutionWouldRefuseOrSplitOffGoesOneByOneWithTheProfilesOtherAttachments() {
        // p1 holds u1: a second user id (a login id) would start a new profile.
        BatchPlan.Split login = BatchPlan.split(List.of(item(0, "track", A1, E1), item(1, "identify", A1, U2)),
                Map.of(A1, "p1"), Map.of("p1", Set.of(A1, U1)), IdentityRules.defaults());
        // p1 already holds five emails, the default limit.
        Set<Identifier> fiveEmails = Set.of(A1, email("1"), email("2"), email("3"), email("4"), email("5"));
        BatchPlan.Split limit = BatchPlan.split(List.of(item(0, "track", A1, E1)), Map.of(A1, "p1"),
                Map.of("p1", fiveEmails), IdentityRules.defaults());
        // What a profile holds is unknown (not locked as a candidate): nothing joins it in bulk.
        BatchPlan.Split unknown = split(List.of(item(0, "track", A1, E1)), Map.of(A1, "p1"));

        assertThat(login.oneByOne()).containsExactly(0, 1);
        assertThat(limit.oneByOne()).containsExactly(0);
        assertThat(unknown.oneByOne()).containsExactly(0);
    }

    @Test
    void anIdentifyAfterAnEventThatGoesOneByOneOnTheSameProfileFollowsItSoTraitsKeepArrivalOrder() {
        BatchPlan.Split split = split(List.of(
                item(0, "track", A1, U1),           // links p1 and p2: one by one
                item(1, "identify", A1),            // p1's traits: after the link
                item(2, "page", A1),                // order does not matter for a page view
                item(3, "identify", A2)), Map.of(A1, "p1", U1, "p2", A2, "p3"));

        assertThat(split.oneByOne()).containsExactly(0, 1);
        assertThat(split.known()).isEqualTo(Map.of("p1", List.of(2), "p3", List.of(3)));
    }

    @Test
    void onlyProfilesThatWouldGainIdentifiersAreCandidates() {
        assertThat(BatchPlan.attachCandidates(List.of(item(0, "track", A1, E1), item(1, "track", A2),
                item(2, "track", U1, E2), item(3, "track", A1, U1)), Map.of(A1, "p1", A2, "p2")))
                .containsExactly("p1");
    }

    private static Identifier email(String n) {
        return new Identifier(IdentityRules.EMAIL, "e" + n + "@example.com");
    }

    /** The plan when no profile may gain identifiers in bulk (none of their holdings read), default rules. */
    private static BatchPlan.Split split(List<BatchPlan.Item> items, Map<Identifier, String> owners) {
        return BatchPlan.split(items, owners, Map.of(), IdentityRules.defaults());
    }

    private static BatchPlan.Item item(int position, String type, Identifier... identifiers) {
        return new BatchPlan.Item(position, type, List.of(identifiers));
    }
}
