package io.satsuma.activation.adapter.http;

import io.satsuma.activation.domain.WebhookSender;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link WebhookSender} on the JDK HTTP client, with connect and request timeouts. */
@ApplicationScoped
class JdkWebhookSender implements WebhookSender {
    private final HttpClient http;
    private final Duration timeout;

    JdkWebhookSender(@ConfigProperty(name = "satsuma.webhook.timeout", defaultValue = "PT10S") Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Result post(String url, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(JdkWebhookSender::seconds).orElse(null);
            return new Result(status, retryAfter, status >= 300 ? "HTTP " + status : null);
        } catch (IOException e) {
            return new Result(0, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, null, "interrupted");
        }
    }

    private static java.util.Optional<Duration> seconds(String value) {
        try {
            return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
