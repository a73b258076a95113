package io.satsuma.support.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A per-instance cache whose entries are trusted for a fixed time: for what is read on every request or
 * event (write keys, identity rules, segment names) and may change elsewhere. A change made on this
 * instance replaces or removes its entry at once; other instances see it within the time to live.
 */
public final class ExpiringCache<K, V> {
    private final Duration timeToLive;
    private final Clock clock;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    private record Entry<V>(V value, Instant expiresAt) {
    }

    public ExpiringCache(Duration timeToLive, Clock clock) {
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    /** The cached value, or the loaded one (cached unless the loader found nothing). */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.expiresAt().isAfter(now)) {
            return Optional.of(entry.value());
        }
        Optional<V> loaded = loader.apply(key);
        loaded.ifPresentOrElse(value -> entries.put(key, new Entry<>(value, now.plus(timeToLive))), () -> entries.remove(key));
        return loaded;
    }

    public void put(K key, V value) {
        entries.put(key, new Entry<>(value, clock.instant().plus(timeToLive)));
    }

    public void remove(K key) {
        entries.remove(key);
    }

    /** Removes every entry whose value matches. */
    public void removeIf(Predicate<V> matches) {
        entries.values().removeIf(entry -> matches.test(entry.value()));
    }
}
