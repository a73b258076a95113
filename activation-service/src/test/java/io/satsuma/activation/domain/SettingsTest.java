package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Destination and sync settings are checked against their type, every problem named with a pointer. */
class SettingsTest {

    private static List<String> pointers(List<Violation> violations) {
        return violations.stream().map(Violation::pointer).toList();
    }

    @Test
    void aDestinationNamesEveryMissingMalformedOrMisplacedSetting() {
        List<Violation> meta = DestinationSettings.validate(DestinationType.META_CUSTOM_AUDIENCE,
                Map.of("audienceId", "abc", "accessToken", "EAAB0123456789", "rate", "0"), Map.of("colour", "blue"));
        assertThat(pointers(meta)).containsExactlyInAnyOrder("/config/audienceId", "/config/accessToken", "/secrets/colour",
                "/secrets/accessToken", "/config/rate");
        assertThat(meta).filteredOn(v -> v.pointer().equals("/config/accessToken"))
                .extracting(Violation::message).containsExactly("a secret: send it in secrets, not config");

        assertThat(DestinationSettings.validate(DestinationType.TWILIO_SMS,
                Map.of("accountSid", "AC" + "0".repeat(32)), Map.of("authToken", "0123456789abcdef0123")))
                .extracting(Violation::pointer).containsExactly("/config/from");
        assertThat(DestinationSettings.validate(DestinationType.MAILCHIMP_AUDIENCE, Map.of("listId", "abc123"),
                Map.of("apiKey", "0123456789abcdef-us21"))).isEmpty();
        assertThat(DestinationSettings.validate(DestinationType.MAILCHIMP_AUDIENCE, Map.of("listId", "abc123"),
                Map.of("apiKey", "no-datacenter"))).extracting(Violation::pointer).containsExactly("/secrets/apiKey");
    }

    @Test
    void aSyncMustFitItsDestination() {
        SyncSettings smsWithoutBody = new SyncSettings(ConsentPolicy.REQUIRED, Map.of("FNAME", "first_name"),
                new MessageTemplate(null, " ", null), null, true, "vip", null);
        assertThat(pointers(smsWithoutBody.validate(DestinationType.TWILIO_SMS, SyncMode.MIRROR))).containsExactlyInAnyOrder(
                "/mode", "/settings/mapping/FNAME", "/settings/template/body", "/settings/subscribe", "/settings/tag");

        SyncSettings meta = new SyncSettings(null, Map.of("FN", "first_name", "EMAIL", "email", "ZIP", "bad path!"),
                null, null, false, null, null);
        assertThat(pointers(meta.validate(DestinationType.META_CUSTOM_AUDIENCE, SyncMode.MIRROR)))
                .containsExactlyInAnyOrder("/settings/mapping/EMAIL", "/settings/mapping/ZIP");

        List<Violation> errors = new ArrayList<>();
        assertThat(SyncSettings.quietHours("25:00", "08:00", "Mars/Olympus", errors)).isEmpty();
        assertThat(pointers(errors)).containsExactlyInAnyOrder("/settings/quietHours/start", "/settings/quietHours/timeZone");
    }

    @Test
    void consentIsRequiredByDefaultAndARevocationAlwaysWins() {
        Contact undecided = contact(Map.of());
        Contact granted = contact(Map.of("sms", true));
        Contact revoked = contact(Map.of("sms", false));
        assertThat(ConsentPolicy.REQUIRED.allows(undecided, Channel.SMS)).isFalse();
        assertThat(ConsentPolicy.REQUIRED.allows(granted, Channel.SMS)).isTrue();
        assertThat(ConsentPolicy.UNLESS_REVOKED.allows(undecided, Channel.SMS)).isTrue();
        assertThat(ConsentPolicy.UNLESS_REVOKED.allows(revoked, Channel.SMS)).isFalse();
        Contact erased = Contact.erased("ws", "p", Long.MAX_VALUE, Instant.EPOCH);
        assertThat(ConsentPolicy.UNLESS_REVOKED.allows(erased, Channel.WEBHOOK)).isFalse();
    }

    private static Contact contact(Map<String, Boolean> consent) {
        return new Contact("ws", "p", 1, Contact.Status.ACTIVE, List.of(), Map.of(), consent, Map.of(), Instant.EPOCH);
    }
}
