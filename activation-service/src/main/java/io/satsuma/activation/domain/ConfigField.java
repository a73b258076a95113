package io.satsuma.activation.domain;

import java.util.regex.Pattern;

/**
 * One setting of a destination type: a plain {@code config} value or a {@code secrets} value (encrypted at rest,
 * never returned), whether it is required, and the shape it must have.
 */
public record ConfigField(String name, boolean secret, boolean required, Pattern pattern, String description) {

    static ConfigField config(String name, String pattern, String description) {
        return new ConfigField(name, false, true, pattern == null ? null : Pattern.compile(pattern), description);
    }

    static ConfigField optional(String name, String pattern, String description) {
        return new ConfigField(name, false, false, pattern == null ? null : Pattern.compile(pattern), description);
    }

    static ConfigField secret(String name, String pattern, String description) {
        return new ConfigField(name, true, true, pattern == null ? null : Pattern.compile(pattern), description);
    }

    static ConfigField optionalSecret(String name, String pattern, String description) {
        return new ConfigField(name, true, false, pattern == null ? null : Pattern.compile(pattern), description);
    }

    /** Where the field lives in a destination request. */
    public String pointer() {
        return (secret ? "/secrets/" : "/config/") + name;
    }
}
