package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What each audience vendor receives for one person. Expected hashes were computed independently (Python's hashlib)
 * from the normalised values, so a normalisation or hashing slip shows here.
 */
class AudienceFormatTest {
    private static final Contact ADA = new Contact("ws", "p-1", 3, Contact.Status.ACTIVE,
            List.of(new Identifier("email", " Ada.Lovelace@Example.com"), new Identifier("phone", "+447700900123"),
                    new Identifier("advertising_id", "6d92078a-8246-4ba4-ae5b-76104861e7dc")),
            Map.of("firstName", "Ada", "last_name", "Lovelace", "address", Map.of("city", "London", "postalCode", "SW1A",
                    "country", "GB")),
            Map.of("ads", true, "email", true), Map.of(), Instant.EPOCH);

    @Test
    void metaSendsOneRowOfHashesUnderTheSchemaWithIdsPlain() {
        SyncSettings settings = SyncSettings.defaults();
        AudienceFormat meta = AudienceFormat.of(DestinationType.META_CUSTOM_AUDIENCE);
        assertThat(meta.schema(settings)).containsExactly("EXTERN_ID", "EMAIL", "PHONE", "MADID", "FN", "LN", "CT", "ST",
                "ZIP", "COUNTRY");
        AudienceMember member = meta.member(ADA, settings).orElseThrow();
        assertThat(member.payload().get("row")).isEqualTo(List.of("p-1",
                "e814ff3dc480a94c7ce9334062ec4733c75a002f4bcec0197f62ffea64059e2f",
                "033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd",
                "6d92078a-8246-4ba4-ae5b-76104861e7dc",
                "fdee430d40bd57deeac186cd9790033d0f06f909a8806e7ce6e717ab7c7d5029",
                "fb1e7ec987523d2cb9e022cec1d6ae7c99dc46edfae4fe51254025fe4bea571f",
                "6089854c94ca5454b76be6752c562901a985f64c9a946f62976aeab593b83161",
                "",
                "e2d55ca6a6a67066c037ccdd2dfd04b3ea925bcb3682e8ea6098c9132d140c36",
                "0b407281768f0e833afef47ed464b6571d01ca4d53c12ce5c51d1462f4ad6677"));
        assertThat(meta.removalSchema()).containsExactly("EXTERN_ID", "EMAIL", "PHONE", "MADID");
        assertThat(member.removal()).isEqualTo(Map.of("row", ((List<?>) member.payload().get("row")).subList(0, 4)));
    }

    @Test
    void googleSendsHexHashesOfGoogleNormalisationWithConsent() {
        Contact gmail = new Contact("ws", "p-2", 1, Contact.Status.ACTIVE,
                List.of(new Identifier("email", "John.Doe+shop@GoogleMail.com"), new Identifier("phone", "+14155550123")),
                Map.of("first_name", "Mrs. Mary Ann", "lastName", "Lee", "country", "gb", "zip", "94107"),
                Map.of(), Map.of(), Instant.EPOCH);
        AudienceMember member = AudienceFormat.of(DestinationType.GOOGLE_CUSTOMER_MATCH).member(gmail, SyncSettings.defaults())
                .orElseThrow();
        assertThat(member.payload().get("userIdentifiers")).isEqualTo(List.of(
                Map.of("emailAddress", "f07280f43150f779598094600662ad3c94d7c0a78c78b15c4056e4a38df260b9"),
                Map.of("phoneNumber", "36a2cef4ff9bf7a1abd2a93359136b870393be4106e6c5d19b72ff564f9deca4"),
                Map.of("address", Map.of(
                        "givenName", "343b97011010c3549fe7fcd6c226ed9431ea37b0b77ed78f6300a0098925faf1",
                        "familyName", "1508b697895abf03d55c3841f59236ab92c9ba6ba89795c8337fcf392fdee8b4",
                        "regionCode", "GB", "postalCode", "94107"))));
        // never decided on ads (a sync with UNLESS_REVOKED lets them in): Google is told so
        assertThat(member.payload().get("consent")).isEqualTo(Map.of("adUserData", "CONSENT_STATUS_UNSPECIFIED",
                "adPersonalization", "CONSENT_STATUS_UNSPECIFIED"));
        assertThat(member.removal()).isEqualTo(Map.of("userIdentifiers", member.payload().get("userIdentifiers")));
    }

    @Test
    void emailListsKeepNoAddressInTheirRemovalKeys() {
        AudienceMember klaviyo = AudienceFormat.of(DestinationType.KLAVIYO_LIST).member(ADA, SyncSettings.defaults())
                .orElseThrow();
        assertThat(klaviyo.payload()).containsEntry("email", "ada.lovelace@example.com").containsEntry("external_id", "p-1")
                .containsEntry("first_name", "Ada").containsEntry("last_name", "Lovelace")
                .containsEntry("location", Map.of("city", "London", "country", "GB"));
        assertThat(klaviyo.removal()).isEqualTo(Map.of("external_id", "p-1"));

        AudienceMember mailchimp = AudienceFormat.of(DestinationType.MAILCHIMP_AUDIENCE).member(ADA, SyncSettings.defaults())
                .orElseThrow();
        assertThat(mailchimp.payload()).containsEntry("email_address", "ada.lovelace@example.com")
                .containsEntry("status_if_new", "subscribed")
                .containsEntry("merge_fields", Map.of("FNAME", "Ada", "LNAME", "Lovelace"));
        assertThat(mailchimp.removal()).isEqualTo(Map.of("subscriber_hash", "2b9150605ac374d671a306b5fcee60a0"));
    }

    @Test
    void somebodyWithNothingToMatchIsNotSent() {
        Contact anonymous = new Contact("ws", "p-3", 1, Contact.Status.ACTIVE,
                List.of(new Identifier("anonymous_id", "a-1")), Map.of("firstName", "Ada"), Map.of("ads", true), Map.of(),
                Instant.EPOCH);
        for (DestinationType type : List.of(DestinationType.META_CUSTOM_AUDIENCE, DestinationType.GOOGLE_CUSTOMER_MATCH,
                DestinationType.KLAVIYO_LIST, DestinationType.MAILCHIMP_AUDIENCE)) {
            assertThat(AudienceFormat.of(type).member(anonymous, SyncSettings.defaults())).as(type.id()).isEmpty();
        }
    }

    @Test
    void aChangedAddressRemovesTheOldKeysBeforeAddingTheNewOnes() {
        AudienceFormat meta = AudienceFormat.of(DestinationType.META_CUSTOM_AUDIENCE);
        AudienceMember before = meta.member(ADA, SyncSettings.defaults()).orElseThrow();
        LedgerEntry held = new LedgerEntry("p-1", before.removal(), before.digest());
        assertThat(AudienceChange.between("p-1", Optional.of(before), Optional.of(held)).nothing()).isTrue();

        Contact moved = new Contact("ws", "p-1", 4, Contact.Status.ACTIVE, List.of(new Identifier("email", "ada@new.example")),
                Map.of(), Map.of("ads", true), Map.of(), Instant.EPOCH);
        AudienceMember after = meta.member(moved, SyncSettings.defaults()).orElseThrow();
        AudienceChange change = AudienceChange.between("p-1", Optional.of(after), Optional.of(held));
        assertThat(change.remove()).isEqualTo(held);
        assertThat(change.add()).isEqualTo(after);

        AudienceChange gone = AudienceChange.between("p-1", Optional.empty(), Optional.of(held));
        assertThat(gone.add()).isNull();
        assertThat(gone.remove()).isEqualTo(held);
        assertThat(AudienceChange.between("p-1", Optional.empty(), Optional.empty()).nothing()).isTrue();
    }
}
