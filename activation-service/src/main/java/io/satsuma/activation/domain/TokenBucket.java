package io.satsuma.activation.domain;

import java.util.function.LongSupplier;

/**
 * A rate limit: {@code rate} permits per second, at most {@code burst} saved up. {@link #reserve()} takes one and says
 * how long to wait before using it; waits queue up fairly because each reservation moves the bucket's clock.
 */
public final class TokenBucket {
    private final double permitsPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.permitsPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a permit; returns the nanoseconds to wait before it may be used (0 when one was saved up). */
    public synchronized long reserve() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * permitsPerNano);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerNano);
    }
}
