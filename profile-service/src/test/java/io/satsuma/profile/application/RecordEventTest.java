package io.satsuma.profile.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.profile.domain.IdentityRuleStore;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileSettingsStore;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.support.testing.InMemoryOutbox;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RecordEvent} over in-memory ports: identity resolution, storage and announcements, without Quarkus. */
class RecordEventTest {
    private static final String WS = "shop";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final InMemoryProfileStore store = new InMemoryProfileStore();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final Map<String, IdentityRules> rules = new HashMap<>();
    private RecordEvent record;

    @BeforeEach
    void wire() {
        // Time moves on by a second at every look: profiles created one after the other are older and younger.
        Clock clock = new Clock() {
            private Instant now = NOW;

            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(ZoneId zone) {
                return this;
            }

            public synchronized Instant instant() {
                now = now.plusSeconds(1);
                return now;
            }
        };
        IdentityRuleStore ruleStore = new IdentityRuleStore() {
            public Optional<IdentityRules> find(String workspace) {
                return Optional.ofNullable(rules.get(workspace));
            }

            public void save(String workspace, IdentityRules saved, Instant at) {
                rules.put(workspace, saved);
            }
        };
        ProfileSettingsStore settingsStore = new ProfileSettingsStore() {
            public Optional<ProfileSettings> find(String workspace) {
                return Optional.empty();
            }

            public void save(String workspace, ProfileSettings settings, Instant at) {
            }
        };
        ConfigureProfileSettings settings = new ConfigureProfileSettings(settingsStore, clock);
        ProfileAnnouncements announcements = new ProfileAnnouncements(store, outbox, settings);
        AppendEvent append = new AppendEvent(store, store, store, store, outbox, settings, announcements);
        record = new RecordEvent(store, store, store, store, store, outbox, new ConfigureIdentityRules(ruleStore, clock),
                announcements, append, clock);
    }

    @Test
    void aFirstEventCreatesAProfileAndAnnouncesTheEventAndItsSnapshotTogether() {
        String profileId = record.record(WS, anEvent().order(42.5).by("ann").anonymously("device-1").at(daysAgo(1)).build());

        assertThat(store.identifiersOf(WS, profileId))
                .containsExactly(new Identifier("anonymous_id", "device-1"), new Identifier("user_id", "ann"));
        ProfileState profile = store.find(WS, profileId).orElseThrow();
        assertThat(profile.aggregates().orderCount()).isEqualTo(1);
        assertThat(profile.aggregates().totalRevenue()).isEqualByComparingTo("42.5");
        assertThat(outbox.messages()).extracting(m -> m.ceType())
                .containsExactly(CloudEvents.TYPE_PROFILE_EVENT, CloudEvents.TYPE_PROFILE_CHANGED);
        ProfileSnapshot snapshot = outbox.payloads(CloudEvents.TYPE_PROFILE_CHANGED, ProfileSnapshot.class).get(0);
        assertThat(snapshot.version()).isEqualTo(profile.version());
        assertThat(snapshot.identifiers()).hasSize(2);
        assertThat(store.daysOf(WS, profileId, daysAgo(2).atZone(ZoneOffset.UTC).toLocalDate(),
                NOW.atZone(ZoneOffset.UTC).toLocalDate()))
                .extracting(ProfileSettings.Day::event, ProfileSettings.Day::count, d -> d.sum().stripTrailingZeros())
                .containsExactly(tuple("Order Completed", 1L, new BigDecimal("42.5")));
    }

    @Test
    void aRedeliveredEventChangesNothingAndAnnouncesNothing() {
        IngestedEvent order = anEvent().order(10).by("ann").build();
        String profileId = record.record(WS, order);
        outbox.clear();

        assertThat(record.record(WS, order)).isNull();

        assertThat(store.find(WS, profileId).orElseThrow().aggregates().orderCount()).isEqualTo(1);
        assertThat(outbox.messages()).isEmpty();
    }

    @Test
    void anIdentifyThatLinksTwoPeoplesProfilesMergesThemIntoTheOldestAndSaysSo() {
        String older = record.record(WS, anEvent().view().anonymously("device-1").at(daysAgo(3)).build());
        String newer = record.record(WS, anEvent().order(20).by("ann").at(daysAgo(2)).build());
        outbox.clear();

        String survivor = record.record(WS, anEvent().identify(Map.of("email", "Ann@Example.com")).by("ann")
                .anonymously("device-1").at(daysAgo(1)).build());

        assertThat(survivor).isEqualTo(older);
        assertThat(store.find(WS, newer).orElseThrow().status()).isEqualTo(ProfileState.MERGED);
        assertThat(store.identifiersOf(WS, older)).contains(new Identifier("user_id", "ann"),
                new Identifier("email", "ann@example.com"), new Identifier("anonymous_id", "device-1"));
        ProfileState merged = store.find(WS, older).orElseThrow();
        assertThat(merged.aggregates().eventCount()).as("both profiles' events, and the identify").isEqualTo(3);
        assertThat(merged.aggregates().orderCount()).isEqualTo(1);
        assertThat(merged.traits()).containsEntry("email", "Ann@Example.com");
        assertThat(store.mergesOf(WS, older)).extracting(MergeEntry::outcome).containsExactly(MergeEntry.MERGED);
        assertThat(outbox.payloads(CloudEvents.TYPE_PROFILES_MERGED, ProfilesMerged.class))
                .extracting(ProfilesMerged::survivorId, ProfilesMerged::absorbedId)
                .containsExactly(tuple(older, newer));
        assertThat(outbox.payloads(CloudEvents.TYPE_PROFILE_CHANGED, ProfileSnapshot.class))
                .extracting(ProfileSnapshot::profileId, ProfileSnapshot::status)
                .containsExactly(tuple(newer, "MERGED"),
                        tuple(older, "ACTIVE"));
    }

    @Test
    void aMergeThatWouldGiveAProfileTwoUserIdsIsRefusedAndJournaled() {
        String ann = record.record(WS, anEvent().view().by("ann").anonymously("shared-tablet").build());
        String bob = record.record(WS, anEvent().view().by("bob").build());

        // bob signs in on ann's tablet: user_id is a login id, so bob's event stays bob's (nothing merges)
        String attributed = record.record(WS, anEvent().view().by("bob").anonymously("shared-tablet").build());

        assertThat(attributed).isEqualTo(bob);
        assertThat(store.find(WS, ann).orElseThrow().status()).isEqualTo(ProfileState.ACTIVE);
        assertThat(store.find(WS, bob).orElseThrow().status()).isEqualTo(ProfileState.ACTIVE);
        assertThat(store.identifiersOf(WS, ann)).contains(new Identifier("anonymous_id", "shared-tablet"));
        assertThat(store.mergesOf(WS, bob)).extracting(MergeEntry::outcome, MergeEntry::identifierType)
                .containsExactly(tuple(MergeEntry.REFUSED, "user_id"));
    }

    @Test
    void eventsOfAnErasedPersonAndEventsWithOnlyPlaceholderIdsAreDropped() {
        store.suppress(WS, List.of(new Identifier("user_id", "gone")), NOW);

        assertThat(record.record(WS, anEvent().order(5).by("gone").build())).isNull();
        assertThat(record.record(WS, anEvent().order(5).by("undefined").anonymously("null").build())).isNull();

        assertThat(outbox.messages()).isEmpty();
        assertThat(store.ownersOf(WS, List.of(new Identifier("user_id", "gone")))).isEmpty();
    }

    @Test
    void aWorkspacesOwnRulesApplyToItsResolutionsOnly() {
        IdentityRules oneEmail = new IdentityRules(Map.of(
                IdentityRules.USER_ID, new IdentityRules.TypeRule(1, 300, true, true),
                IdentityRules.EMAIL, new IdentityRules.TypeRule(1, 200, true, false),
                IdentityRules.ANONYMOUS_ID, new IdentityRules.TypeRule(Integer.MAX_VALUE, 100, true, false)),
                IdentityRules.defaults().blockedValues());
        rules.put("strict", oneEmail);
        for (String workspace : List.of("strict", WS)) {
            record.record(workspace, anEvent().identify(Map.of("email", "a@example.com")).by("ann").build());
            record.record(workspace, anEvent().identify(Map.of("email", "b@example.com")).by("ann").build());
        }

        String strict = store.ownersOf("strict", List.of(new Identifier("user_id", "ann"))).get(new Identifier("user_id", "ann"));
        String lenient = store.ownersOf(WS, List.of(new Identifier("user_id", "ann"))).get(new Identifier("user_id", "ann"));
        assertThat(store.identifiersOf("strict", strict)).filteredOn(id -> id.type().equals("email")).hasSize(1);
        assertThat(store.identifiersOf(WS, lenient)).filteredOn(id -> id.type().equals("email")).hasSize(2);
    }

    @Test
    void phonesBecomeE164WithTheWorkspacesRegionAndUnparseableOnesAreKeptFlagged() {
        rules.put(WS, withRegion("GB"));
        String uk = record.record(WS, anEvent().identify(Map.of("phone", "07911 123456")).by("ann").build());
        String intl = record.record(WS, anEvent().identify(Map.of("phone", "+49 (30) 901820")).by("bob").build());
        String junk = record.record(WS, anEvent().identify(Map.of("phone", "call me maybe")).by("cid").build());

        assertThat(store.identifiersOf(WS, uk)).contains(new Identifier("phone", "+447911123456"));
        assertThat(store.identifiersOf(WS, intl)).contains(new Identifier("phone", "+4930901820"));
        assertThat(store.identifiersOf(WS, junk)).contains(new Identifier("phone_unparsed", "call me maybe"))
                .noneMatch(id -> id.type().equals("phone"));
    }

    @Test
    void pushTokensAndAdvertisingIdsOnlyWithAdTrackingAreIdentifiersThatNeverMerge() {
        Map<String, Object> phone = Map.of("device", Map.of("token", "fcm-1", "type", "android",
                "advertisingId", "AAAA-BBBB", "adTrackingEnabled", true));
        Map<String, Object> noAds = Map.of("device", Map.of("token", "fcm-1", "type", "android",
                "advertisingId", "CCCC-DDDD", "adTrackingEnabled", false));
        String ann = record.record(WS, anEvent().view().by("ann").context(phone).build());
        String bob = record.record(WS, anEvent().view().by("bob").context(noAds).build()); // a shared tablet

        assertThat(store.identifiersOf(WS, ann)).contains(new Identifier("device_token", "fcm-1"),
                new Identifier("advertising_id", "aaaa-bbbb"));
        assertThat(bob).isNotEqualTo(ann);
        assertThat(store.identifiersOf(WS, bob)).noneMatch(id -> id.type().equals("advertising_id"));
        assertThat(store.find(WS, ann).orElseThrow().aggregates().pushTokens()).containsKey("fcm-1")
                .extractingByKey("fcm-1").satisfies(t -> assertThat(t.platform()).isEqualTo("android"));
    }

    private static IdentityRules withRegion(String region) {
        IdentityRules defaults = IdentityRules.defaults();
        return new IdentityRules(defaults.types(), defaults.blockedValues(), region);
    }

    @Test
    void anAttributedEventIsAnnouncedWithItsIdTypeNameAndTime() {
        IngestedEvent view = anEvent().view().anonymously("d").at(daysAgo(1)).build();
        String profileId = record.record(WS, view);

        assertThat(outbox.payloads(CloudEvents.TYPE_PROFILE_EVENT, ProfileEvent.class)).containsExactly(
                new ProfileEvent(view.messageId(), profileId, "track", "Product Viewed", Map.of(), view.timestamp()));
    }

    private static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    static EventBuilder anEvent() {
        return new EventBuilder();
    }

    /** Reads like the domain: {@code anEvent().order(42.5).by("ann").at(daysAgo(1)).build()}. */
    static final class EventBuilder {
        private String type = "track";
        private String name;
        private String userId;
        private String anonymousId;
        private Map<String, Object> traits = Map.of();
        private Map<String, Object> properties = Map.of();
        private Map<String, Object> context = Map.of();
        private Instant at = NOW.minusSeconds(60);

        EventBuilder order(double revenue) {
            name = "Order Completed";
            properties = Map.of("revenue", revenue);
            return this;
        }

        EventBuilder view() {
            name = "Product Viewed";
            return this;
        }

        EventBuilder identify(Map<String, Object> newTraits) {
            type = "identify";
            traits = newTraits;
            return this;
        }

        EventBuilder by(String user) {
            userId = user;
            return this;
        }

        EventBuilder anonymously(String anonymous) {
            anonymousId = anonymous;
            return this;
        }

        EventBuilder context(Map<String, Object> eventContext) {
            context = eventContext;
            return this;
        }

        EventBuilder at(Instant time) {
            at = time;
            return this;
        }

        IngestedEvent build() {
            return new IngestedEvent(UUID.randomUUID().toString(), type, name, userId, anonymousId, null, traits,
                    properties, context, at, NOW, "test");
        }
    }
}
