package io.satsuma.support.failure;

/** One invalid field of a request: where it is (an RFC 6901 JSON pointer, or a query parameter's name) and what is wrong. */
public record FieldError(String pointer, String message) {
}
