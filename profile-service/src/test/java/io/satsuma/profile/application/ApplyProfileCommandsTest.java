package io.satsuma.profile.application;

import static io.satsuma.profile.application.RecordEventTest.anEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileCommand;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.IdentityRuleStore;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileSettingsStore;
import io.satsuma.support.testing.InMemoryOutbox;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What channels report (an SMS STOP, a dead push token) becomes an event of the profile, once. */
class ApplyProfileCommandsTest {
    private static final String WS = "shop";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final InMemoryProfileStore store = new InMemoryProfileStore();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ConfigureProfileSettings settings = new ConfigureProfileSettings(new ProfileSettingsStore() {
        public Optional<ProfileSettings> find(String workspace) {
            return Optional.empty();
        }

        public void save(String workspace, ProfileSettings saved, Instant at) {
        }
    }, clock);
    private final ProfileAnnouncements announcements = new ProfileAnnouncements(store, outbox, settings);
    private final AppendEvent append = new AppendEvent(store, store, store, store, outbox, settings, announcements);
    private final RecordEvent record = new RecordEvent(store, store, store, store, store, outbox,
            new ConfigureIdentityRules(new IdentityRuleStore() {
                public Optional<IdentityRules> find(String workspace) {
                    return Optional.empty();
                }

                public void save(String workspace, IdentityRules rules, Instant at) {
                }
            }, clock), announcements, append, clock);
    private final ApplyProfileCommands commands = new ApplyProfileCommands(store, store, store, append, clock);

    @Test
    void anSmsStopRevokesSmsConsentOnceAndTheNewSnapshotSaysSo() {
        String ann = record.record(WS, anEvent().identify(Map.of("consent", Map.of("sms", true))).by("ann")
                .at(NOW.minusSeconds(3600)).build());
        outbox.clear();
        ProfileCommand stop = new ProfileCommand("c-1", ann, ProfileCommand.REVOKE_CONSENT, "sms", null,
                "twilio 21610: the recipient replied STOP", NOW.minusSeconds(10));

        commands.apply(WS, stop);
        commands.apply(WS, stop); // redelivered

        ProfileAggregates aggregates = store.find(WS, ann).orElseThrow().aggregates();
        assertThat(aggregates.consent().get("sms").granted()).isFalse();
        assertThat(aggregates.eventCount()).isEqualTo(2);
        assertThat(outbox.payloads(CloudEvents.TYPE_PROFILE_CHANGED, ProfileSnapshot.class)).singleElement()
                .satisfies(s -> assertThat(s.aggregates().consent().get("sms").granted()).isFalse());
        assertThat(Aggregates.fold(store.eventsOf(WS, ann)).consent()).as("the decision survives a refold")
                .isEqualTo(aggregates.consent());
    }

    @Test
    void aDeadPushTokenIsDetachedAndMarkedOnTheSurvivorOfAMerge() {
        String device = record.record(WS, anEvent().view().anonymously("d-1")
                .context(Map.of("device", Map.of("token", "fcm-9", "type", "ios"))).at(NOW.minusSeconds(600)).build());
        String ann = record.record(WS, anEvent().view().by("ann").at(NOW.minusSeconds(500)).build());
        String survivor = record.record(WS, anEvent().identify(Map.of()).by("ann").anonymously("d-1")
                .at(NOW.minusSeconds(400)).build());
        // Both were created at the same (fixed) instant, so the survivor is decided by id; address the command
        // to whichever was absorbed, as a channel holding the old id would.
        assertThat(survivor).isIn(device, ann);
        String absorbed = survivor.equals(device) ? ann : device;

        commands.apply(WS, new ProfileCommand("c-2", absorbed, ProfileCommand.REMOVE_IDENTIFIER, "push",
                new Identifier("device_token", "fcm-9"), "fcm UNREGISTERED", NOW));

        assertThat(store.identifiersOf(WS, survivor)).doesNotContain(new Identifier("device_token", "fcm-9"));
        assertThat(store.find(WS, survivor).orElseThrow().aggregates().pushTokens().get("fcm-9").usable()).isFalse();
    }

    @Test
    void aCommandForAnErasedProfileChangesNothing() {
        commands.apply(WS, new ProfileCommand("c-3", "gone", ProfileCommand.REVOKE_CONSENT, "email", null, "x", NOW));

        assertThat(outbox.messages()).isEmpty();
        assertThat(store.eventsOf(WS, "gone")).isEqualTo(List.of());
    }
}
