package io.satsuma.profile.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per source (write key): each message accepted takes a token, and tokens come back at
 * {@code perSecond} up to {@code burst}. A call that needs more tokens than are left is refused whole, with the
 * seconds after which it would fit — so one runaway source is slowed down (429) while the others go on. Kept per
 * instance: behind a load balancer with n instances a source may send up to n times the rate.
 */
public final class IngestionRate {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Whether the call may go on, and if not, when it would. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    public IngestionRate(double perSecond, double burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("the rate must be positive and the burst at least one message");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes {@code messages} tokens of the source's bucket, or none if there are not enough. */
    public Decision take(String sourceId, int messages) {
        if (messages > burst) {
            // Could never fit: refused as too many at once rather than told to wait forever.
            return new Decision(false, (long) Math.ceil(burst / perSecond));
        }
        Bucket bucket = buckets.computeIfAbsent(sourceId, id -> new Bucket(burst, nanoTime.getAsLong()));
        synchronized (bucket) {
            long now = nanoTime.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
            bucket.at = now;
            if (bucket.tokens >= messages) {
                bucket.tokens -= messages;
                return new Decision(true, 0);
            }
            return new Decision(false, Math.max(1, (long) Math.ceil((messages - bucket.tokens) / perSecond)));
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
