package io.satsuma.contracts.profile.v1;

/**
 * A typed identifier of a person, e.g. {@code user_id:42} or {@code email:ann@example.com}.
 * Types: {@code anonymous_id}, {@code user_id}, {@code email}, {@code phone}, device ids, custom.
 */
public record Identifier(String type, String value) {
}
