package io.satsuma.activation.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Klaviyo lists: a profile with its email, {@code external_id} (the Satsuma profile id, by which it is found again
 * to be removed) and the mapped attributes ({@code location.*} nested, {@code properties.*} as custom properties).
 */
final class KlaviyoAudienceFormat implements AudienceFormat {

    @Override
    public Optional<AudienceMember> member(Contact contact, SyncSettings settings) {
        Optional<String> email = contact.first("email").flatMap(Normalize::email);
        if (email.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("email", email.get());
        attributes.put("external_id", contact.profileId());
        Map<String, Object> location = new LinkedHashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        settings.effectiveMapping(DestinationType.KLAVIYO_LIST).forEach((field, path) ->
                contact.firstTrait(path).ifPresent(value -> {
                    if (field.startsWith("location.")) {
                        location.put(field.substring("location.".length()), value);
                    } else if (field.startsWith("properties.")) {
                        properties.put(field.substring("properties.".length()), value);
                    } else {
                        attributes.put(field, value);
                    }
                }));
        if (!location.isEmpty()) {
            attributes.put("location", location);
        }
        if (!properties.isEmpty()) {
            attributes.put("properties", properties);
        }
        return Optional.of(AudienceMember.of(contact.profileId(), attributes, Map.of("external_id", contact.profileId())));
    }
}
