package io.satsuma.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request a vendor stub received: what it was (credentials masked), what the stub answered, and every way the
 * request broke the vendor's contract ({@code violations}, empty for a valid request).
 */
public record Received(String vendor, String method, String path, String query, Map<String, String> headers,
                       String body, int status, List<String> violations, Instant at) {
}
