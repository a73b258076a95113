package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket per write key: a burst, then the rate; a refusal says when to come back; sources are apart. */
class IngestionRateTest {
    private final AtomicLong nanos = new AtomicLong();
    private final IngestionRate rate = new IngestionRate(100, 500, nanos::get);

    @Test
    void aBurstIsTakenThenTheRateAndARefusalSaysWhenItWouldFit() {
        assertThat(rate.take("a", 500).allowed()).isTrue();
        IngestionRate.Decision refused = rate.take("a", 250);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).as("250 tokens at 100 a second").isEqualTo(3);

        seconds(2.5);
        assertThat(rate.take("a", 250).allowed()).isTrue();
        assertThat(rate.take("a", 1).allowed()).isFalse();
    }

    @Test
    void oneRunawaySourceDoesNotSlowTheOthers() {
        for (int i = 0; i < 10; i++) {
            rate.take("runaway", 100);
        }
        assertThat(rate.take("runaway", 1).allowed()).isFalse();
        assertThat(rate.take("quiet", 500).allowed()).isTrue();
    }

    @Test
    void tokensNeverExceedTheBurstAndACallLargerThanTheBurstIsRefused() {
        seconds(3_600);
        assertThat(rate.take("a", 500).allowed()).isTrue();
        assertThat(rate.take("a", 1).allowed()).as("an idle hour does not bank more than the burst").isFalse();
        IngestionRate.Decision tooBig = rate.take("b", 501);
        assertThat(tooBig.allowed()).isFalse();
        assertThat(tooBig.retryAfterSeconds()).isEqualTo(5);
    }

    private void seconds(double s) {
        nanos.addAndGet((long) (s * 1e9));
    }
}
