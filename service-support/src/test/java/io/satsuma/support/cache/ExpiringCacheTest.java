package io.satsuma.support.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
    private Instant now = Instant.parse("2026-11-29T00:00:00Z");
    private final Clock clock = new Clock() {
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };

    @Test
    void aValueIsTrustedForItsTimeToLiveThenLoadedAgain() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(30), clock);
        AtomicInteger loads = new AtomicInteger();

        assertThat(cache.get("k", k -> Optional.of("v" + loads.incrementAndGet()))).contains("v1");
        now = now.plusSeconds(29);
        assertThat(cache.get("k", k -> Optional.of("v" + loads.incrementAndGet()))).contains("v1");
        now = now.plusSeconds(1);
        assertThat(cache.get("k", k -> Optional.of("v" + loads.incrementAndGet()))).contains("v2");
    }

    @Test
    void nothingFoundIsNotCachedAndLocalChangesApplyAtOnce() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(30), clock);
        AtomicInteger loads = new AtomicInteger();

        assertThat(cache.get("k", k -> {
            loads.incrementAndGet();
            return Optional.empty();
        })).isEmpty();
        assertThat(cache.get("k", k -> Optional.of("found"))).contains("found");
        assertThat(loads).hasValue(1);

        cache.put("k", "replaced");
        assertThat(cache.get("k", k -> Optional.of("loaded"))).contains("replaced");
        cache.removeIf("replaced"::equals);
        assertThat(cache.get("k", k -> Optional.of("loaded"))).contains("loaded");
        cache.remove("k");
        assertThat(cache.get("k", k -> Optional.empty())).isEmpty();
    }
}
