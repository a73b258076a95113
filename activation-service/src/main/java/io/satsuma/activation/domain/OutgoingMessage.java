package io.satsuma.activation.domain;

import java.util.List;
import java.util.Map;

/**
 * One rendered message to one person: for SMS the E.164 number and body; for push the title, body, data and each
 * usable device token; for webhooks the signed JSON payload. {@code idempotencyKey} is the delivery's id.
 */
public record OutgoingMessage(String idempotencyKey, String profileId, String to, List<String> deviceTokens,
                              String title, String body, Map<String, String> data) {
}
