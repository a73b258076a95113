package io.satsuma.activation.domain;

import java.time.Duration;
import java.util.Map;

/** Sends one HTTP POST. */
public interface WebhookSender {

    /** @param status 0 if no response arrived; retryAfter null unless the server sent one */
    record Result(int status, Duration retryAfter, String error) {
    }

    Result post(String url, Map<String, String> headers, String body);
}
