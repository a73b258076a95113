package io.satsuma.segment.adapter.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When this instance may use Redis, and under which epoch (ADR 017). Every cache key carries the epoch. A write
 * Redis did not confirm — it failed, or was skipped because Redis was failing — leaves behind the entry it should
 * have replaced; so Redis is not used again until the epoch has been moved on in PostgreSQL, where every instance
 * reads it each second: entries of an older epoch are never read again (they expire by their TTL). After any
 * failure Redis is left alone for a cool-off, so that answers come from PostgreSQL without waiting on timeouts.
 */
final class CacheCircuit {
    /** Where the epoch is kept, shared by every instance. Both calls throw when the store is unreachable. */
    interface EpochStore {
        long current();

        /** Moves the epoch on and returns the new one. */
        long next();
    }

    private final long coolOffNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong unconfirmedWrites = new AtomicLong();
    private volatile long confirmedUpTo;
    private volatile long epoch = -1;
    private volatile long usableFrom;
    private volatile String lastFailure;

    CacheCircuit(Duration coolOff, LongSupplier nanoTime) {
        this.coolOffNanos = coolOff.toNanos();
        this.nanoTime = nanoTime;
        this.usableFrom = nanoTime.getAsLong();
    }

    /** The epoch under which Redis may be used now, or −1 if it may not (unknown epoch, cool-off, unconfirmed writes). */
    long usableEpoch() {
        long known = epoch;
        if (known < 0 || unconfirmedWrites.get() != confirmedUpTo || nanoTime.getAsLong() - usableFrom < 0) {
            return -1;
        }
        return known;
    }

    /** A Redis call failed; {@code write}: the entry it was to write may now be stale. */
    void failed(boolean write, String reason) {
        if (write) {
            unconfirmedWrites.incrementAndGet();
        }
        usableFrom = nanoTime.getAsLong() + coolOffNanos;
        lastFailure = reason;
    }

    /** A write was not attempted because Redis may not be used: the entry it was to replace may be stale. */
    void skippedWrite() {
        unconfirmedWrites.incrementAndGet();
    }

    /** Run every second: moves the epoch on if writes went unconfirmed since the last move, else re-reads it. */
    void refresh(EpochStore store) {
        long unconfirmed = unconfirmedWrites.get();
        try {
            if (unconfirmed != confirmedUpTo) {
                epoch = store.next();
                confirmedUpTo = unconfirmed;
            } else {
                epoch = store.current();
            }
        } catch (RuntimeException e) {
            // PostgreSQL unreachable: keep what is known; unconfirmed writes keep Redis unused until it is back.
            lastFailure = "epoch store: " + e.getMessage();
        }
    }

    boolean degraded() {
        return usableEpoch() < 0;
    }

    long epoch() {
        return epoch;
    }

    String lastFailure() {
        return lastFailure;
    }
}
