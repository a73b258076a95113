package io.satsuma.activation.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * When a person may be reached on a channel, checked at send time. {@code REQUIRED} (the default): only after an
 * explicit grant. {@code UNLESS_REVOKED}: unless they said no (for channels whose consent is collected elsewhere,
 * e.g. a list the marketer already owns). Channels without consent of their own (webhooks) are always allowed; what
 * their payload carries is gated per identifier.
 */
public enum ConsentPolicy {
    REQUIRED, UNLESS_REVOKED;

    public static Optional<ConsentPolicy> of(String name) {
        if (name == null) {
            return Optional.of(REQUIRED);
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the contact may be reached on the channel now. */
    public boolean allows(Contact contact, Channel channel) {
        if (!contact.active()) {
            return false;
        }
        return allows(contact, channel.consentKey());
    }

    /** The same for a consent channel by name ({@code email}, {@code sms}, {@code push}, {@code ads}). */
    public boolean allows(Contact contact, String consentKey) {
        if (consentKey == null) {
            return contact.active();
        }
        Boolean granted = contact.consent().get(consentKey);
        return this == REQUIRED ? Boolean.TRUE.equals(granted) : !Boolean.FALSE.equals(granted);
    }
}
