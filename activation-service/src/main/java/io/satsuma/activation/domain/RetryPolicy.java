package io.satsuma.activation.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * When to try a failed delivery again. Server errors, 408, 429, timeouts and connection failures
 * are retried with exponential backoff (honouring {@code Retry-After}); other 4xx are final, as is
 * the last attempt.
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    /** The outcome of one attempt. */
    public sealed interface Outcome {
        record Sent() implements Outcome {
        }

        record RetryAt(Instant at, String error) implements Outcome {
        }

        record GiveUp(String error) implements Outcome {
        }
    }

    /**
     * @param status     HTTP status, or 0 if no response arrived (timeout, connection refused)
     * @param retryAfter the server's Retry-After, or null
     * @param attempts   attempts made so far, this one included
     */
    public Outcome after(int status, Duration retryAfter, int attempts, Instant now, String error) {
        if (status >= 200 && status < 300) {
            return new Outcome.Sent();
        }
        boolean retryable = status == 0 || status == 408 || status == 429 || status >= 500;
        if (!retryable || attempts >= maxAttempts) {
            return new Outcome.GiveUp(error);
        }
        long factor = 1L << Math.min(attempts - 1, 20);
        Duration backoff = firstBackoff.multipliedBy(factor);
        if (backoff.compareTo(maxBackoff) > 0) {
            backoff = maxBackoff;
        }
        if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
            backoff = retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        return new Outcome.RetryAt(now.plus(backoff), error);
    }
}
