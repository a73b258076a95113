package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityResolverTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Map<Identifier, String> owners = new HashMap<>();
    private final Map<String, KnownProfile> profiles = new HashMap<>();
    private IdentityResolver resolver;

    @BeforeEach
    void resolver() {
        AtomicInteger next = new AtomicInteger();
        resolver = new IdentityResolver(IdentityRules.defaults(), () -> "new-" + next.incrementAndGet());
    }

    @Test
    void unknownIdentifiersCreateAProfileHoldingThemAll() {
        Resolution r = resolver.resolve(List.of(anon("a1"), user("u1")), owners, profiles);

        assertThat(r).isInstanceOf(Resolution.Created.class);
        assertThat(r.profileId()).isEqualTo("new-1");
        assertThat(r.newIdentifiers()).containsExactly(anon("a1"), user("u1"));
    }

    @Test
    void aKnownIdentifierAttachesTheOthersToItsProfile() {
        aProfile("p1", T0, anon("a1"));

        Resolution r = resolver.resolve(List.of(user("u1"), anon("a1")), owners, profiles);

        assertThat(r).isInstanceOf(Resolution.Attached.class);
        assertThat(r.profileId()).isEqualTo("p1");
        assertThat(r.newIdentifiers()).containsExactly(user("u1"));
        assertThat(((Resolution.Attached) r).refusals()).isEmpty();
    }

    @Test
    void identifiersOfTwoProfilesMergeThemIntoTheOldest() {
        aProfile("older", T0, anon("phone"));
        aProfile("newer", T0.plusSeconds(60), anon("laptop"), user("u1"));

        Resolution r = resolver.resolve(List.of(user("u1"), anon("phone")), owners, profiles);

        assertThat(r).isInstanceOf(Resolution.Merged.class);
        Resolution.Merged merged = (Resolution.Merged) r;
        assertThat(merged.profileId()).isEqualTo("older");
        assertThat(merged.absorbed()).containsExactly("newer");
        assertThat(merged.rule()).contains("anonymous_id").contains("user_id");
    }

    @Test
    void aMergeThatWouldJoinTwoUserIdsIsRefusedAndTheEventGoesToTheUserIdsProfile() {
        aProfile("alice", T0, user("alice"), anon("shared-device"));
        aProfile("bob", T0.plusSeconds(60), user("bob"));

        Resolution r = resolver.resolve(List.of(user("bob"), anon("shared-device")), owners, profiles);

        assertThat(r).isInstanceOf(Resolution.Attached.class);
        assertThat(r.profileId()).isEqualTo("bob");
        assertThat(r.newIdentifiers()).isEmpty();
        assertThat(((Resolution.Attached) r).refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.otherProfileId()).isEqualTo("alice");
            assertThat(refusal.identifier().type()).isEqualTo(IdentityRules.USER_ID);
            assertThat(refusal.reason()).contains("more than 1");
        });
    }

    @Test
    void aNewLoginIdOnADeviceWhoseProfileHasAnotherStartsAProfileOfItsOwn() {
        aProfile("p1", T0, anon("a1"), user("u1"));

        Resolution r = resolver.resolve(List.of(user("u2"), anon("a1")), owners, profiles);

        assertThat(r).isInstanceOf(Resolution.Created.class);
        assertThat(r.profileId()).isEqualTo("new-1");
        assertThat(r.newIdentifiers()).containsExactly(user("u2"));
        assertThat(r.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.profileId()).isEqualTo("p1");
            assertThat(refusal.reason()).contains("login id");
        });
    }

    @Test
    void withoutTheLoginFlagASecondUserIdIsRefusedAndTheEventStaysWithTheDevice() {
        resolver = new IdentityResolver(rules(IdentityRules.USER_ID, new IdentityRules.TypeRule(1, 300, true, false)),
                () -> "new");
        aProfile("p1", T0, anon("a1"), user("u1"));

        Resolution r = resolver.resolve(List.of(user("u2"), anon("a1")), owners, profiles);

        assertThat(r.profileId()).isEqualTo("p1");
        assertThat(r.newIdentifiers()).isEmpty();
        assertThat(r.refusals()).extracting(Resolution.Refusal::identifier).containsExactly(user("u2"));
    }

    @Test
    void aSharedIdentifierIsAttachedButNeverMergesTwoProfiles() {
        resolver = new IdentityResolver(rules(IdentityRules.EMAIL, new IdentityRules.TypeRule(5, 200, false, false)),
                () -> "new");
        aProfile("parent", T0, anon("laptop"), email("family@example.com"));
        aProfile("child", T0.plusSeconds(60), anon("tablet"));

        Resolution r = resolver.resolve(List.of(anon("tablet"), email("family@example.com")), owners, profiles);

        assertThat(r).isInstanceOf(Resolution.Attached.class);
        assertThat(r.profileId()).isEqualTo("child");
        assertThat(r.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.otherProfileId()).isEqualTo("parent");
            assertThat(refusal.reason()).contains("not unique");
        });
    }

    @Test
    void profilesAnOperatorUnmergedAreNotMergedAgain() {
        profiles.put("s", new KnownProfile("s", T0, Set.of(user("u1")), Set.of("r")));
        profiles.put("r", new KnownProfile("r", T0.plusSeconds(60), Set.of(anon("a1")), Set.of("s")));
        owners.put(user("u1"), "s");
        owners.put(anon("a1"), "r");

        Resolution r = resolver.resolve(List.of(user("u1"), anon("a1")), owners, profiles);

        assertThat(r).isInstanceOf(Resolution.Attached.class);
        assertThat(r.profileId()).isEqualTo("s");
        assertThat(r.refusals()).singleElement().satisfies(refusal -> assertThat(refusal.reason()).contains("kept apart"));
    }

    private static IdentityRules rules(String type, IdentityRules.TypeRule rule) {
        var types = new HashMap<>(IdentityRules.defaults().types());
        types.put(type, rule);
        return new IdentityRules(types, IdentityRules.defaults().blockedValues());
    }

    private static Identifier email(String value) {
        return new Identifier(IdentityRules.EMAIL, value);
    }

    @Test
    void blockedValuesAreNotIdentifiers() {
        IdentityRules rules = IdentityRules.defaults();

        assertThat(rules.identifiersOf("null", "anonymous", Map.of("email", "test@test.com"))).isEmpty();
        assertThat(rules.identifiersOf(" 42 ", "undefined", Map.of("email", " Ann@Example.COM ")))
                .containsExactly(user("42"), new Identifier("email", "ann@example.com"));
    }

    private void aProfile(String id, Instant createdAt, Identifier... identifiers) {
        profiles.put(id, new KnownProfile(id, createdAt, Set.of(identifiers)));
        for (Identifier identifier : identifiers) {
            owners.put(identifier, id);
        }
    }

    private static Identifier anon(String value) {
        return new Identifier(IdentityRules.ANONYMOUS_ID, value);
    }

    private static Identifier user(String value) {
        return new Identifier(IdentityRules.USER_ID, value);
    }
}
