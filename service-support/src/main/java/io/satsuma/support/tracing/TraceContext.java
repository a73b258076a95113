package io.satsuma.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C trace context ({@code traceparent}) as Satsuma carries it where OpenTelemetry's instrumentation does not:
 * in the Kafka records its own producer sends, in outbox rows (published later, by another thread) and in rows that
 * are worked on later (activation's deliveries). So one trace runs from {@code POST /v1/track} through resolution,
 * evaluation and the channel call.
 */
public final class TraceContext {
    /** The W3C header, also the Kafka header's name. */
    public static final String TRACEPARENT = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContext() {
    }

    /** The current span's {@code traceparent}, or null outside any trace. */
    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** The context a {@code traceparent} names, or none (root) when it is missing or malformed. */
    public static Context parse(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP);
    }

    /** The {@code traceparent} header of a Kafka record, or null. */
    public static String of(Headers headers) {
        Header header = headers.lastHeader(TRACEPARENT);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Adds the current {@code traceparent} to a record's headers unless it has one or there is no trace. */
    public static void addCurrent(Headers headers) {
        String current = current();
        if (current != null && headers.lastHeader(TRACEPARENT) == null) {
            headers.add(TRACEPARENT, current.getBytes(StandardCharsets.UTF_8));
        }
    }
}
