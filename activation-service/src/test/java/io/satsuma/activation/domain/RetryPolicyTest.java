package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void twoHundredsAreSent() {
        assertThat(policy.after(204, null, 1, NOW, null)).isInstanceOf(RetryPolicy.Outcome.Sent.class);
    }

    @Test
    void serverErrorsAndTimeoutsBackOffExponentially() {
        assertThat(policy.after(503, null, 1, NOW, "HTTP 503")).isEqualTo(new RetryPolicy.Outcome.RetryAt(NOW.plusSeconds(1), "HTTP 503"));
        assertThat(policy.after(0, null, 3, NOW, "timeout")).isEqualTo(new RetryPolicy.Outcome.RetryAt(NOW.plusSeconds(4), "timeout"));
        assertThat(policy.after(500, null, 4, NOW, "x")).isEqualTo(new RetryPolicy.Outcome.RetryAt(NOW.plusSeconds(8), "x"));
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() {
        assertThat(policy.after(429, Duration.ofSeconds(12), 1, NOW, "slow down"))
                .isEqualTo(new RetryPolicy.Outcome.RetryAt(NOW.plusSeconds(12), "slow down"));
        assertThat(policy.after(429, Duration.ofHours(1), 1, NOW, "slow down"))
                .isEqualTo(new RetryPolicy.Outcome.RetryAt(NOW.plusSeconds(30), "slow down"));
    }

    @Test
    void clientErrorsAndTheLastAttemptAreFinal() {
        assertThat(policy.after(400, null, 1, NOW, "HTTP 400")).isInstanceOf(RetryPolicy.Outcome.GiveUp.class);
        assertThat(policy.after(503, null, 5, NOW, "HTTP 503")).isInstanceOf(RetryPolicy.Outcome.GiveUp.class);
    }
}
