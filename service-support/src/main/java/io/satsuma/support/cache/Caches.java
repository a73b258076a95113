package io.satsuma.support.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * Per-instance caches (Caffeine) for what is read on every request or event and may change elsewhere (write
 * keys, identity rules, profile settings, segment names): an entry is trusted for a fixed time after it was
 * written; a change made on this instance replaces or invalidates its entry at once, other instances see it
 * within the time to live. Time comes from the service's {@link Clock}, so tests can move it.
 */
public final class Caches {
    private static final long MAX_ENTRIES = 100_000;

    private Caches() {
    }

    public static <K, V> Cache<K, V> expiringAfterWrite(Duration timeToLive, Clock clock) {
        return Caffeine.newBuilder()
                .expireAfterWrite(timeToLive)
                .maximumSize(MAX_ENTRIES)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }
}
