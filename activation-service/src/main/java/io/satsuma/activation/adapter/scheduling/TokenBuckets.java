package io.satsuma.activation.adapter.scheduling;

import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.Throttle;
import io.satsuma.activation.domain.TokenBucket;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket per destination (rate and burst from its configuration, else the vendor's limits), per
 * activation-service instance: with several instances, each keeps to the limit on its own.
 */
@ApplicationScoped
class TokenBuckets implements Throttle {
    private record Keyed(List<Object> settings, TokenBucket bucket) {
    }

    private final Map<String, Keyed> buckets = new ConcurrentHashMap<>();

    @Override
    public void acquire(Destination destination) throws InterruptedException {
        List<Object> settings = List.of(destination.rate(), destination.burst());
        Keyed keyed = buckets.compute(destination.id(), (id, existing) -> existing != null && existing.settings().equals(settings)
                ? existing : new Keyed(settings, new TokenBucket(destination.rate(), destination.burst(), System::nanoTime)));
        long wait = keyed.bucket().reserve();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
