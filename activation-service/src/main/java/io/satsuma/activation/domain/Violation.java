package io.satsuma.activation.domain;

/** One thing wrong with a destination's or a sync's settings: where (a JSON pointer into the request) and why. */
public record Violation(String pointer, String message) {
}
