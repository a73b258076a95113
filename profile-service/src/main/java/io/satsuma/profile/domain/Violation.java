package io.satsuma.profile.domain;

/** Something wrong with an incoming message: where (JSON pointer into the request body) and what. */
public record Violation(String pointer, String message) {
}
