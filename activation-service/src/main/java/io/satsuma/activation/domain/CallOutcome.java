package io.satsuma.activation.domain;

import java.time.Duration;
import java.util.Map;

/**
 * How a call to a channel went, in the terms that decide what happens next. Texts never carry personal data: the
 * connectors describe failures by status, vendor code and counts.
 */
public sealed interface CallOutcome {

    /** Accepted. {@code failed}: people the vendor refused one by one (profile id → why), the rest went through. */
    record Done(Map<String, String> failed) implements CallOutcome {
        public static Done all() {
            return new Done(Map.of());
        }
    }

    /** Worth trying again: no answer, 5xx, 408, 429 or a vendor's rate-limit code; {@code retryAfter} may be null. */
    record Retry(Duration retryAfter, String error) implements CallOutcome {
    }

    /** The credentials were refused (401, 403, Meta code 190, an OAuth error): the sync pauses until they are replaced. */
    record Unauthorized(String reason) implements CallOutcome {
    }

    /** The vendor said no for good (a 4xx that retrying cannot change). */
    record Rejected(String error) implements CallOutcome {
    }

    /** The recipient opted out on the channel (Twilio 21610, STOP): record consent as revoked, never retry. */
    record OptedOut(String error) implements CallOutcome {
    }

    /** The contact point is dead (an FCM token UNREGISTERED or invalid): drop it from the profile, never retry. */
    record DeadContact(String error) implements CallOutcome {
    }
}
