package io.satsuma.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static final String METRICS = """
            # TYPE satsuma_profile_merges counter
            satsuma_profile_merges_total{outcome="merged"} 2.0 # {span_id="c4ba3b59b8d98ab8",trace_id="c8a3a8587fc560563c5e26aa31085a39"} 1.0 1796485347.632
            satsuma_profile_merges_total{outcome="refused"} 3.0
            satsuma_outbox_backlog 7.0
            satsuma_outbox_backlog_other 100.0
            """;

    @Test
    void sumsTheSeriesOfANameWithTheGivenLabelsExemplarsSetAside() {
        assertThat(PrometheusText.sum(METRICS, "satsuma_profile_merges_total")).isEqualTo(5.0);
        assertThat(PrometheusText.sum(METRICS, "satsuma_profile_merges_total", PrometheusText.label("outcome", "merged")))
                .isEqualTo(2.0);
        assertThat(PrometheusText.sum(METRICS, "satsuma_outbox_backlog")).isEqualTo(7.0);
        assertThat(PrometheusText.sum(METRICS, "satsuma_dead_letters_total")).isZero();
    }
}
