package io.satsuma.platform;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver (protobuf), standing in for the OpenTelemetry Collector deploy/ exports to: it keeps
 * every span the services send, with the service that sent it.
 */
final class OtlpCollector implements AutoCloseable {

    /** One received span. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpCollector(HttpServer server) {
        this.server = server;
    }

    static OtlpCollector start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        OtlpCollector collector = new OtlpCollector(server);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                if ("POST".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                    boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                    collector.keep(ExportTraceServiceRequest.parseFrom(gzip ? new GZIPInputStream(body) : body));
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, 0);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("OTLP collector stub: unreadable export: " + e);
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return collector;
    }

    /** Where the services send spans (SATSUMA_OTLP_ENDPOINT, with SATSUMA_OTLP_PROTOCOL=http/protobuf). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    private void keep(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                    .map(v -> v.getStringValue()).findFirst().orElse("?");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(span -> spans.add(new ReceivedSpan(service,
                        hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
                        hex.formatHex(span.getParentSpanId().toByteArray()), span.getName())));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
