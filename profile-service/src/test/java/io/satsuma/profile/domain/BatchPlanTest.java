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

    @Test
    void eventsWhoseIdentifiersAllBelongToOneProfileAreKnown() {
        BatchPlan.Split split = BatchPlan.split(List.of(item(0, "track", A1, U1), item(1, "page", A1)),
                Map.of(A1, "p1", U1, "p1"));

        assertThat(split.known()).isEqualTo(Map.of("p1", List.of(0, 1)));
        assertThat(split.created()).isEmpty();
        assertThat(split.oneByOne()).isEmpty();
    }

    @Test
    void eventsOfUnknownIdentifiersSharingThemWithNoOtherSetMakeOneNewProfile() {
        BatchPlan.Split split = BatchPlan.split(List.of(item(0, "track", U2), item(1, "screen", U2), item(2, "track", A2)),
                Map.of());

        assertThat(split.created()).isEqualTo(Map.of(Set.of(U2), List.of(0, 1), Set.of(A2), List.of(2)));
        assertThat(split.oneByOne()).isEmpty();
    }

    @Test
    void whateverResolutionHasToDecideGoesOneByOne() {
        BatchPlan.Split split = BatchPlan.split(List.of(
                item(0, "identify", A1),            // sets traits
                item(1, "track", A1, U2),           // would attach u2 to p1
                item(2, "track", A1, U1),           // links two profiles
                item(3, "track", A2),               // a2 also arrives with u2 below: not the same set
                item(4, "track", A2, U2),
                item(5, "alias", A2)), Map.of(A1, "p1", U1, "p2"));

        assertThat(split.oneByOne()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(split.known()).isEmpty();
        assertThat(split.created()).isEmpty();
    }

    private static BatchPlan.Item item(int position, String type, Identifier... identifiers) {
        return new BatchPlan.Item(position, type, List.of(identifiers));
    }
}
