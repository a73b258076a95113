package io.satsuma.activation.adapter.http;

import io.satsuma.activation.domain.WebhookSender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.resteasy.reactive.RestResponse;

/** {@link WebhookSender} on the Quarkus REST client, through the destination's guard ({@link ChannelClients}). */
@ApplicationScoped
class RestWebhookSender implements WebhookSender {
    private final ChannelClients channels;

    RestWebhookSender(ChannelClients channels) {
        this.channels = channels;
    }

    @Override
    public Result post(String url, Map<String, String> headers, String body) {
        try {
            RestResponse<Void> response = channels.call(url, () -> channels.client(WebhookEndpoint.class, url).post(
                    headers.get("User-Agent"), headers.get("X-Satsuma-Delivery"), headers.get("X-Satsuma-Timestamp"),
                    headers.get("X-Satsuma-Signature"), body));
            int status = response.getStatus();
            Duration retryAfter = Optional.ofNullable(response.getHeaderString("Retry-After"))
                    .flatMap(RestWebhookSender::seconds).orElse(null);
            return new Result(status, retryAfter, status >= 300 ? "HTTP " + status : null);
        } catch (CircuitBreakerOpenException e) {
            return new Result(0, null, "circuit open: the destination failed repeatedly");
        } catch (ProcessingException e) {
            return new Result(0, null, "no response: " + rootCause(e).getClass().getSimpleName());
        } catch (Exception e) {
            return new Result(0, null, "no response: " + e.getClass().getSimpleName());
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
