package io.satsuma.activation.adapter.http;

import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.MessageConnector;
import io.satsuma.activation.domain.OutgoingMessage;
import io.satsuma.activation.domain.Target;
import io.satsuma.activation.domain.WebhookSignature;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Map;

/**
 * Signed webhooks: the JSON payload posted to the destination's URL with {@code X-Satsuma-Delivery} (receivers
 * deduplicate on it), {@code X-Satsuma-Timestamp} and {@code X-Satsuma-Signature} (HMAC-SHA256).
 */
@ApplicationScoped
class Webhooks implements MessageConnector {
    private final ChannelHttp http;
    private final Clock clock;

    Webhooks(ChannelHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public DestinationType type() {
        return DestinationType.WEBHOOK;
    }

    @Override
    public CallOutcome send(Target target, OutgoingMessage message, String url) {
        return post(target, message.idempotencyKey(), message.body());
    }

    /** A {@code ping} event, signed like any delivery. */
    @Override
    public CallOutcome test(Target target) {
        String body = http.mapper().valueToTree(Map.of("id", "ping", "type", "ping",
                "workspace", target.destination().workspace())).toString();
        return post(target, "ping", body);
    }

    private CallOutcome post(Target target, String deliveryId, String body) {
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = http.request(target.config("url"))
                .header("Content-Type", "application/json")
                .header(WebhookSignature.DELIVERY_HEADER, deliveryId)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(target.secret("signingSecret"), timestamp,
                        body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return ChannelHttp.outcomeOf(() -> {
            return ChannelHttp.classify("the webhook", http.send(target.destination().id(), request));
        });
    }
}
