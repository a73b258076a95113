package io.satsuma.activation.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A channel endpoint of a workspace: its type and plain configuration ({@link DestinationType#fields()}). Its
 * secrets are kept apart, encrypted, and only decrypted to make a call.
 */
public record Destination(String id, String workspace, String name, DestinationType type, Map<String, String> config,
                          Instant createdAt) {

    public Destination {
        config = Map.copyOf(config);
    }

    public Optional<String> setting(String name) {
        return Optional.ofNullable(config.get(name)).filter(v -> !v.isBlank());
    }

    /** The vendor's API root: {@code config.baseUrl}, else the type's default (null when it has to be derived). */
    public String baseUrl() {
        String base = setting("baseUrl").orElse(type.defaultBaseUrl());
        return base == null ? null : base.replaceAll("/+$", "");
    }

    /** Requests per second the destination's lane may make. */
    public double rate() {
        return setting("rate").map(Double::parseDouble).orElse(type.rate());
    }

    public int burst() {
        return setting("burst").map(Integer::parseInt).orElse(type.burst());
    }

    /** Messages in flight at once on a message destination (audiences are always one at a time, in order). */
    public int concurrency() {
        return type.isAudience() ? 1 : setting("concurrency").map(Integer::parseInt).orElse(4);
    }
}
