package io.satsuma.support.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aTraceparentReadIsTheOneWrittenAgain() {
        SpanContext read = Span.fromContext(TraceContext.parse(SAMPLED)).getSpanContext();
        assertThat(read.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(read.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(read.isSampled()).isTrue();
        try (Scope current = Context.root().with(Span.wrap(read)).makeCurrent()) {
            assertThat(TraceContext.current()).isEqualTo(SAMPLED);
        }
    }

    @Test
    void noTraceOrAMalformedOneIsNoParent() {
        assertThat(TraceContext.current()).isNull();
        assertThat(Span.fromContext(TraceContext.parse(null)).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(TraceContext.parse("00-not-a-trace-01")).getSpanContext().isValid()).isFalse();
    }

    @Test
    void aRecordGetsTheCurrentTraceUnlessItCarriesOneAlready() {
        RecordHeaders outside = new RecordHeaders();
        TraceContext.addCurrent(outside);
        assertThat(TraceContext.of(outside)).as("no trace, no header").isNull();

        RecordHeaders headers = new RecordHeaders();
        try (Scope current = TraceContext.parse(SAMPLED).makeCurrent()) {
            TraceContext.addCurrent(headers);
        }
        assertThat(TraceContext.of(headers)).isEqualTo(SAMPLED);

        RecordHeaders carrying = new RecordHeaders();
        carrying.add(TraceContext.TRACEPARENT, "00-11111111111111111111111111111111-2222222222222222-01".getBytes(StandardCharsets.UTF_8));
        try (Scope current = TraceContext.parse(SAMPLED).makeCurrent()) {
            TraceContext.addCurrent(carrying);
        }
        assertThat(TraceContext.of(carrying)).startsWith("00-1111");
    }
}
