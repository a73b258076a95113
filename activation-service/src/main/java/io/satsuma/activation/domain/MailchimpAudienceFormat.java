package io.satsuma.activation.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Mailchimp audiences: a list member by email (upserted, {@code status_if_new} as the sync says) with the mapped merge
 * fields. Membership of the segment is the member's tag; removal sets the tag inactive by the subscriber hash (MD5 of
 * the lower-cased address), so the ledger keeps no address.
 */
final class MailchimpAudienceFormat implements AudienceFormat {

    @Override
    public Optional<AudienceMember> member(Contact contact, SyncSettings settings) {
        Optional<String> email = contact.first("email").flatMap(Normalize::email);
        if (email.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("email_address", email.get());
        member.put("status_if_new", settings.statusIfNew() == null ? "subscribed" : settings.statusIfNew());
        Map<String, Object> mergeFields = new LinkedHashMap<>();
        settings.effectiveMapping(DestinationType.MAILCHIMP_AUDIENCE).forEach((tag, path) ->
                contact.firstTrait(path).ifPresent(value -> mergeFields.put(tag, value)));
        member.put("merge_fields", mergeFields);
        return Optional.of(AudienceMember.of(contact.profileId(), member,
                Map.of("subscriber_hash", Hashing.mailchimpSubscriberHash(email.get()))));
    }
}
