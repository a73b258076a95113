package io.satsuma.activation.adapter.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.satsuma.activation.config.ActivationConfig;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Outbound HTTP to channels: a Quarkus REST client per (API, base URL), built once, with the configured connect
 * and read timeouts, no redirects and no exception for error statuses (the caller classifies them); and a
 * SmallRye Fault Tolerance guard per destination, whose circuit breaker opens on that destination's failures
 * only, so one failing channel never slows another.
 */
@ApplicationScoped
class ChannelClients {
    private final Duration timeout;
    private final Cache<List<Object>, Object> clients = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, TypedGuard<RestResponse<?>>> guards = Caffeine.newBuilder().maximumSize(10_000).build();

    ChannelClients(ActivationConfig config) {
        this.timeout = config.http().timeout();
    }

    /** The REST client of {@code api} for this base URL. */
    @SuppressWarnings("unchecked")
    <T> T client(Class<T> api, String baseUrl) {
        return (T) clients.get(List.of(api, baseUrl), key -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .disableDefaultMapper(true)
                .build(api));
    }

    /**
     * Calls through the destination's guard. A response that means the channel is failing (5xx, 429) or no
     * response at all counts against its circuit breaker; while it is open, calls fail at once with a
     * {@code CircuitBreakerOpenException} instead of waiting for a timeout.
     */
    @SuppressWarnings("unchecked")
    <R extends RestResponse<?>> R call(String destinationKey, Supplier<R> request) throws Exception {
        TypedGuard<RestResponse<?>> guard = guards.get(destinationKey, key -> TypedGuard.create(
                        new TypeLiteral<RestResponse<?>>() {
                        })
                .withDescription("channel " + key)
                .withCircuitBreaker()
                .requestVolumeThreshold(10)
                .failureRatio(0.5)
                .delay(30, ChronoUnit.SECONDS)
                .failOn(ChannelFailing.class)
                .done()
                .build());
        try {
            return (R) guard.call(() -> {
                R response = request.get();
                int status = response.getStatus();
                if (status >= 500 || status == 429) {
                    throw new ChannelFailing(response);
                }
                return response;
            });
        } catch (ChannelFailing failing) {
            return (R) failing.response;
        }
    }

    /** A response that counts as the channel failing; carries it back to the caller. */
    private static final class ChannelFailing extends Exception {
        private final transient RestResponse<?> response;

        ChannelFailing(RestResponse<?> response) {
            super("HTTP " + response.getStatus(), null, false, false);
            this.response = response;
        }
    }
}
