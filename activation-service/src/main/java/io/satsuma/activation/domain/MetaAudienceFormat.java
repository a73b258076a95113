package io.satsuma.activation.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meta Custom Audiences: one row per person under a multi-key schema. EXTERN_ID (the profile id) and MADID go as
 * they are; EMAIL, PHONE and the mapped keys are normalised per Meta's rules and SHA-256 hashed. A key without a
 * value is an empty string. Removal sends the matching keys alone (EXTERN_ID, EMAIL, PHONE, MADID): what the ledger
 * keeps, so it stays small and holds no trait.
 */
final class MetaAudienceFormat implements AudienceFormat {
    static final List<String> IDENTIFIER_KEYS = List.of("EXTERN_ID", "EMAIL", "PHONE", "MADID");

    @Override
    public List<String> schema(SyncSettings settings) {
        List<String> schema = new ArrayList<>(IDENTIFIER_KEYS);
        schema.addAll(settings.effectiveMapping(DestinationType.META_CUSTOM_AUDIENCE).keySet());
        return schema;
    }

    @Override
    public List<String> removalSchema() {
        return IDENTIFIER_KEYS;
    }

    @Override
    public Optional<AudienceMember> member(Contact contact, SyncSettings settings) {
        String email = contact.first("email").flatMap(Normalize::email).map(Hashing::sha256).orElse("");
        String phone = contact.first("phone").flatMap(Normalize::metaPhone).map(Hashing::sha256).orElse("");
        String madid = contact.first("advertising_id").orElse("");
        if (email.isEmpty() && phone.isEmpty() && madid.isEmpty()) {
            return Optional.empty();
        }
        List<String> row = new ArrayList<>(List.of(contact.profileId(), email, phone, madid));
        settings.effectiveMapping(DestinationType.META_CUSTOM_AUDIENCE).forEach((key, path) -> row.add(
                contact.firstTrait(path).flatMap(raw -> Normalize.metaKey(key, raw)).map(Hashing::sha256).orElse("")));
        return Optional.of(AudienceMember.of(contact.profileId(), Map.of("row", List.copyOf(row)),
                Map.of("row", List.copyOf(row.subList(0, IDENTIFIER_KEYS.size())))));
    }
}
