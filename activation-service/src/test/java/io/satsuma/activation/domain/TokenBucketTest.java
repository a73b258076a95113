package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void aBurstGoesAtOnceThenRequestsArePacedAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 3, now::get);
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(100_000_000L); // the fourth waits a tenth of a second
        assertThat(bucket.reserve()).isEqualTo(200_000_000L); // and the fifth queues behind it
    }

    @Test
    void idleTimeRefillsUpToTheBurstOnly() {
        TokenBucket bucket = new TokenBucket(2, 2, now::get);
        bucket.reserve();
        bucket.reserve();
        now.addAndGet(60_000_000_000L); // a minute idle is still only two saved permits
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(500_000_000L);
    }
}
