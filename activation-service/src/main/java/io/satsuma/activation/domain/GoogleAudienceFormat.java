package io.satsuma.activation.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Google Customer Match (Data Manager API): a member is a list of user identifiers, HEX SHA-256 of Google's
 * normalisation: every email (gmail rules), every phone in E.164 with {@code +}, and an address when given name,
 * family name, region and postal code are all known (names hashed, region and postal code plain). At most 10
 * identifiers per member, with the person's ad consent. Removal sends the same identifiers.
 */
final class GoogleAudienceFormat implements AudienceFormat {
    static final int MAX_IDENTIFIERS = 10;

    @Override
    public Optional<AudienceMember> member(Contact contact, SyncSettings settings) {
        List<Map<String, Object>> identifiers = new ArrayList<>();
        contact.all("email").stream().map(Normalize::googleEmail).flatMap(Optional::stream).distinct()
                .forEach(e -> identifiers.add(Map.of("emailAddress", Hashing.sha256(e))));
        contact.all("phone").stream().map(Normalize::googlePhone).flatMap(Optional::stream).distinct()
                .forEach(p -> identifiers.add(Map.of("phoneNumber", Hashing.sha256(p))));
        Map<String, String> mapping = settings.effectiveMapping(DestinationType.GOOGLE_CUSTOMER_MATCH);
        Optional<String> given = trait(contact, mapping, "givenName").flatMap(Normalize::googleName);
        Optional<String> family = trait(contact, mapping, "familyName").flatMap(Normalize::googleName);
        Optional<String> region = trait(contact, mapping, "regionCode").flatMap(Normalize::country);
        Optional<String> postal = trait(contact, mapping, "postalCode").map(String::trim).filter(p -> !p.isEmpty());
        if (given.isPresent() && family.isPresent() && region.isPresent() && postal.isPresent()) {
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("givenName", Hashing.sha256(given.get()));
            address.put("familyName", Hashing.sha256(family.get()));
            address.put("regionCode", region.get().toUpperCase(Locale.ROOT));
            address.put("postalCode", postal.get());
            identifiers.add(Map.of("address", address));
        }
        if (identifiers.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> kept = List.copyOf(identifiers.subList(0, Math.min(MAX_IDENTIFIERS, identifiers.size())));
        // Consent travels per member: granted when the person said yes to ads, unspecified when the sync's policy
        // lets people in who never decided (a revocation never gets here).
        String consent = Boolean.TRUE.equals(contact.consent().get("ads")) ? "CONSENT_GRANTED" : "CONSENT_STATUS_UNSPECIFIED";
        Map<String, Object> payload = Map.of("userIdentifiers", kept,
                "consent", Map.of("adUserData", consent, "adPersonalization", consent));
        return Optional.of(AudienceMember.of(contact.profileId(), payload, Map.of("userIdentifiers", kept)));
    }

    private static Optional<String> trait(Contact contact, Map<String, String> mapping, String field) {
        return Optional.ofNullable(mapping.get(field)).flatMap(contact::firstTrait);
    }
}
