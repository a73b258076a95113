package io.satsuma.activation.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.domain.ActivationStore;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.RetryPolicy;
import io.satsuma.activation.domain.SecretBox;
import io.satsuma.activation.domain.WebhookSender;
import io.satsuma.activation.domain.WebhookSignature;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.delivery.v1.DeliveryCompleted;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends due deliveries to their webhooks, signed, and records the outcome: sent, retry later, or
 * dead-lettered ({@code FAILED}); final outcomes are published on {@code satsuma.deliveries.v1}.
 */
@ApplicationScoped
public class DeliverChanges {
    private static final Logger LOG = Logger.getLogger(DeliverChanges.class);
    private static final int BATCH = 50;

    private final ActivationStore store;
    private final WebhookSender sender;
    private final SecretBox secrets;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;
    private final RetryPolicy retryPolicy = RetryPolicy.defaults();

    DeliverChanges(ActivationStore store, WebhookSender sender, SecretBox secrets, Outbox outbox, ObjectMapper json,
                   Clock clock) {
        this.store = store;
        this.sender = sender;
        this.secrets = secrets;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /** A destination's URL and decrypted secret, looked up once per batch. */
    private record Endpoint(String url, String secret) {
    }

    /** Delivers one batch of due changes; returns how many were attempted. */
    @Transactional
    public int deliverDue() {
        List<Delivery> due = store.claimDue(clock.instant(), BATCH);
        Map<String, Endpoint> endpoints = new HashMap<>();
        for (Delivery delivery : due) {
            attempt(delivery, endpoints.computeIfAbsent(delivery.destinationId(), id -> new Endpoint(
                    store.destination(delivery.workspace(), id).orElseThrow().url(),
                    secrets.decrypt(store.secretCiphertext(id)))));
        }
        return due.size();
    }

    private void attempt(Delivery d, Endpoint endpoint) {
        String body = body(d);
        long timestamp = clock.instant().getEpochSecond();
        String secret = endpoint.secret();
        String url = endpoint.url();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "Satsuma-Webhooks/1");
        headers.put(WebhookSignature.DELIVERY_HEADER, d.changeId());
        headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body));

        WebhookSender.Result result = sender.post(url, headers, body);
        int attempts = d.attempts() + 1;
        Instant now = clock.instant();
        RetryPolicy.Outcome outcome = retryPolicy.after(result.status(), result.retryAfter(), attempts, now, result.error());
        if (outcome instanceof RetryPolicy.Outcome.Sent) {
            store.markSent(d.id(), attempts, now);
            publish(d, DeliveryCompleted.SENT, attempts, null, now);
        } else if (outcome instanceof RetryPolicy.Outcome.RetryAt retry) {
            store.markRetry(d.id(), attempts, retry.at(), retry.error());
            LOG.infof("delivery %d to destination %s failed (%s), retry %d at %s", d.id(), d.destinationId(),
                    retry.error(), attempts, retry.at());
        } else if (outcome instanceof RetryPolicy.Outcome.GiveUp giveUp) {
            store.markFailed(d.id(), attempts, now, giveUp.error());
            publish(d, DeliveryCompleted.FAILED, attempts, giveUp.error(), now);
            LOG.warnf("delivery %d to destination %s dead-lettered after %d attempt(s): %s", d.id(), d.destinationId(),
                    attempts, giveUp.error());
        }
    }

    /** The webhook payload: what happened, to whom, in which segment. */
    private String body(Delivery d) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", d.changeId());
        payload.put("type", "ENTERED".equals(d.change()) ? "segment.entered" : "segment.exited");
        payload.put("workspace", d.workspace());
        payload.put("segment", Map.of("id", d.segmentId(), "name", d.segmentName() == null ? "" : d.segmentName()));
        payload.put("profile", Map.of("id", d.profileId()));
        payload.put("occurredAt", d.changedAt().toString());
        payload.put("sequence", d.sequence());
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish(Delivery d, String status, int attempts, String error, Instant now) {
        outbox.append(Topic.DELIVERIES.topicName(), d.profileId(), CloudEvents.TYPE_DELIVERY_COMPLETED, d.workspace(), now,
                new DeliveryCompleted(Long.toString(d.id()), d.syncId(), d.destinationId(), d.segmentId(), d.profileId(),
                        d.change(), status, attempts, error, now));
    }
}
