package io.satsuma.activation.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.satsuma.activation.config.ActivationConfig;
import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.DestinationAddresses;
import io.satsuma.support.tracing.TraceContext;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Outbound HTTP to channels: one JDK HTTP client (HTTP/1.1, kept-alive connections, connect and response timeouts,
 * no redirects), and a SmallRye Fault Tolerance guard per destination whose circuit breaker opens on that
 * destination's failures only. The JDK client rather than a declarative REST client because connectors build each
 * vendor's exact request themselves, DELETE with a body included (Meta, Klaviyo); see ADR 012.
 */
@ApplicationScoped
class ChannelHttp {
    private final HttpClient client;
    private final Duration timeout;
    private final ObjectMapper json;
    private final DestinationAddresses addresses;
    private final Tracer tracer;
    private final Cache<String, TypedGuard<Reply>> guards = Caffeine.newBuilder().maximumSize(10_000).build();

    ChannelHttp(ActivationConfig config, ObjectMapper json, DestinationAddresses addresses, Tracer tracer) {
        this.tracer = tracer;
        this.timeout = config.http().timeout();
        this.json = json;
        this.addresses = addresses;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A response: status, body, and the server's {@code Retry-After} if it sent one. */
    record Reply(int status, String body, Duration retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json(ObjectMapper mapper) {
            try {
                return body == null || body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
            } catch (JsonProcessingException e) {
                return mapper.createObjectNode();
            }
        }
    }

    /** A connector's exchange with its vendor: one or more calls, read into an outcome. */
    @FunctionalInterface
    interface Exchange {
        CallOutcome run() throws NoAnswer, InterruptedException;
    }

    /**
     * Runs an exchange: no answer (timeout, connection refused, open circuit) is its retryable outcome, and a lane
     * interrupted by shutdown retries later.
     */
    static CallOutcome outcomeOf(Exchange exchange) {
        try {
            return exchange.run();
        } catch (NoAnswer e) {
            return e.outcome();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CallOutcome.Retry(null, "interrupted");
        }
    }

    /** No answer: the outcome to report instead of a reply. */
    static final class NoAnswer extends Exception {
        private final transient CallOutcome outcome;

        NoAnswer(CallOutcome outcome) {
            super(outcome.toString(), null, false, false);
            this.outcome = outcome;
        }

        CallOutcome outcome() {
            return outcome;
        }
    }

    HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("User-Agent", "Satsuma-Activation/1");
    }

    HttpRequest.BodyPublisher jsonBody(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.BodyPublisher formBody(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    ObjectMapper mapper() {
        return json;
    }

    /**
     * Sends through the destination's guard. A response that means the channel is failing (5xx, 429) or no response
     * at all counts against its circuit breaker; while it is open, calls fail at once instead of waiting for a
     * timeout. Throws {@link NoAnswer} with a retryable outcome when no response came.
     */
    Reply send(String destinationKey, HttpRequest request) throws NoAnswer, InterruptedException {
        // Checked again at every call, resolving the name anew: it may point elsewhere than when it was saved.
        Optional<String> refusal = addresses.refusal(request.uri());
        if (refusal.isPresent()) {
            throw new NoAnswer(new CallOutcome.Rejected("not sent: " + refusal.get()));
        }
        TypedGuard<Reply> guard = guards.get(destinationKey, key -> TypedGuard.create(new TypeLiteral<Reply>() {
                })
                .withDescription("channel " + key)
                .withCircuitBreaker()
                .requestVolumeThreshold(10)
                .failureRatio(0.5)
                .delay(30, ChronoUnit.SECONDS)
                .failOn(List.of(ChannelFailing.class, IOException.class))
                .done()
                .build());
        try {
            return guard.call(() -> {
                // The channel call is a span of the delivery's trace, and tells the channel its traceparent.
                Span call = tracer.spanBuilder(request.method() + " " + request.uri().getHost()).setSpanKind(SpanKind.CLIENT)
                        .setAttribute("http.request.method", request.method())
                        .setAttribute("server.address", request.uri().getHost()).startSpan();
                try (Scope current = call.makeCurrent()) {
                    String traceParent = TraceContext.current();
                    HttpRequest traced = traceParent == null ? request : HttpRequest.newBuilder(request, (name, value) -> true)
                            .header(TraceContext.TRACEPARENT, traceParent).build();
                    HttpResponse<String> response = client.send(traced, HttpResponse.BodyHandlers.ofString());
                    call.setAttribute("http.response.status_code", response.statusCode());
                    Reply reply = new Reply(response.statusCode(), response.body(),
                            response.headers().firstValue("Retry-After").flatMap(ChannelHttp::seconds).orElse(null));
                    if (reply.status() >= 500 || reply.status() == 429) {
                        throw new ChannelFailing(reply);
                    }
                    return reply;
                } finally {
                    call.end();
                }
            });
        } catch (ChannelFailing failing) {
            return failing.reply;
        } catch (CircuitBreakerOpenException e) {
            throw new NoAnswer(new CallOutcome.Retry(Duration.ofSeconds(30), "circuit open: the destination failed repeatedly"));
        } catch (InterruptedException e) {
            throw e;
        } catch (IOException e) {
            throw new NoAnswer(new CallOutcome.Retry(null, "no response: " + e.getClass().getSimpleName()));
        } catch (Exception e) {
            throw new NoAnswer(new CallOutcome.Retry(null, "no response: " + e.getClass().getSimpleName()));
        }
    }

    /**
     * The outcome of a reply by status alone: 2xx done, 401/403 unauthorized, 408/429/5xx retry (with Retry-After),
     * other 4xx rejected. Connectors look at vendor error codes first.
     */
    static CallOutcome classify(String vendor, Reply reply) {
        int status = reply.status();
        if (reply.ok()) {
            return CallOutcome.Done.all();
        }
        if (status == 401 || status == 403) {
            return new CallOutcome.Unauthorized(vendor + " refused the credentials (HTTP " + status + ")");
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new CallOutcome.Retry(reply.retryAfter(), vendor + " answered HTTP " + status);
        }
        return new CallOutcome.Rejected(vendor + " rejected the request (HTTP " + status + ")");
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A response that counts as the channel failing; carries it back to the caller. */
    private static final class ChannelFailing extends Exception {
        private final transient Reply reply;

        ChannelFailing(Reply reply) {
            super("HTTP " + reply.status(), null, false, false);
            this.reply = reply;
        }
    }
}
