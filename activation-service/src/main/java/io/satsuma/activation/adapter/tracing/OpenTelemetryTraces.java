package io.satsuma.activation.adapter.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.satsuma.activation.application.Traces;
import io.satsuma.support.tracing.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;

/** {@link Traces} on OpenTelemetry: the resumed span is current until closed, so the channel call is its child. */
@ApplicationScoped
class OpenTelemetryTraces implements Traces {
    private final Tracer tracer;

    OpenTelemetryTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public Resumed resume(String traceParent, String operation) {
        Span span = tracer.spanBuilder(operation).setParent(TraceContext.parse(traceParent)).startSpan();
        Scope current = span.makeCurrent();
        return () -> {
            current.close();
            span.end();
        };
    }
}
