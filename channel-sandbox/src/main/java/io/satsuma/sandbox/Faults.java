package io.satsuma.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a vendor stub does wrong on purpose: an outage (every call answers a 5xx until a time), rate limiting (the next
 * calls answer 429 with {@code Retry-After}), a hang (calls wait before answering), refused credentials, and
 * per-recipient failures (SMS numbers that replied STOP, dead push tokens, email addresses a list refuses).
 */
public final class Faults {
    private final Clock clock;
    private volatile Instant failingUntil = Instant.MIN;
    private volatile int failStatus = 503;
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;
    private volatile Duration hang = Duration.ZERO;
    private volatile boolean refuseCredentials;
    final Set<String> stoppedNumbers = ConcurrentHashMap.newKeySet();
    final Set<String> deadTokens = ConcurrentHashMap.newKeySet();
    final Set<String> refusedEmails = ConcurrentHashMap.newKeySet();

    Faults(Clock clock) {
        this.clock = clock;
    }

    /** Every call answers {@code status} (a 5xx) for the next {@code duration}. */
    public Faults failFor(Duration duration, int status) {
        failStatus = status;
        failingUntil = clock.instant().plus(duration);
        return this;
    }

    /** The next {@code calls} calls answer 429 with {@code Retry-After: seconds}. */
    public Faults rateLimit(int calls, int seconds) {
        retryAfterSeconds = seconds;
        rateLimited.set(calls);
        return this;
    }

    /** Every call waits this long before it is answered (a destination that hangs). */
    public Faults hang(Duration duration) {
        hang = duration;
        return this;
    }

    /** Credentials are refused (expired token, revoked key) until told otherwise. */
    public Faults refuseCredentials(boolean refuse) {
        refuseCredentials = refuse;
        return this;
    }

    /** Twilio: these numbers replied STOP (error 21610). */
    public Faults stop(String... e164) {
        stoppedNumbers.addAll(Set.of(e164));
        return this;
    }

    /** FCM: these device tokens are unregistered. */
    public Faults deadTokens(String... tokens) {
        deadTokens.addAll(Set.of(tokens));
        return this;
    }

    /** Mailchimp: these addresses (in any case) are refused one by one in a batch's {@code errors[]}. */
    public Faults refuseEmails(String... emails) {
        for (String email : emails) {
            refusedEmails.add(email.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    public Faults clear() {
        failingUntil = Instant.MIN;
        rateLimited.set(0);
        hang = Duration.ZERO;
        refuseCredentials = false;
        stoppedNumbers.clear();
        deadTokens.clear();
        refusedEmails.clear();
        return this;
    }

    Duration hang() {
        return hang;
    }

    boolean failing() {
        return clock.instant().isBefore(failingUntil);
    }

    int failStatus() {
        return failStatus;
    }

    /** Takes one rate-limited answer if any is left. */
    boolean takeRateLimit() {
        return rateLimited.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    boolean refusingCredentials() {
        return refuseCredentials;
    }
}
