package io.satsuma.activation.domain;

import java.time.Instant;

/** A channel endpoint of a workspace. For now: {@code webhook}, a URL that receives signed JSON. */
public record Destination(String id, String workspace, String name, String type, String url, Instant createdAt) {
    public static final String WEBHOOK = "webhook";
}
