package io.satsuma.segment.domain;

/** A problem in a condition: the JSON pointer of the bad node and what is wrong with it. */
public record ConditionError(String pointer, String message) {
}
