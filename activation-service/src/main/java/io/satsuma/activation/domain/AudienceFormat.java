package io.satsuma.activation.domain;

import java.util.List;
import java.util.Optional;

/**
 * How one audience vendor holds a person (CHANNELS.md): the normalised, hashed or plain fields it is sent, and the
 * keys that remove them later. Empty when the contact has nothing the vendor can match.
 */
public interface AudienceFormat {

    Optional<AudienceMember> member(Contact contact, SyncSettings settings);

    /** Meta's row layout for these settings ({@code payload.schema}); other vendors have none. */
    default List<String> schema(SyncSettings settings) {
        return List.of();
    }

    /** Meta's row layout of removals (the ledger keeps the matching keys only); other vendors have none. */
    default List<String> removalSchema() {
        return List.of();
    }

    static AudienceFormat of(DestinationType type) {
        return switch (type) {
            case META_CUSTOM_AUDIENCE -> new MetaAudienceFormat();
            case GOOGLE_CUSTOMER_MATCH -> new GoogleAudienceFormat();
            case KLAVIYO_LIST -> new KlaviyoAudienceFormat();
            case MAILCHIMP_AUDIENCE -> new MailchimpAudienceFormat();
            default -> throw new IllegalArgumentException(type.id() + " is not an audience");
        };
    }
}
