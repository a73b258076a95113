package io.satsuma.activation.domain;

import java.util.Map;
import java.util.Optional;

/** A destination with its decrypted secrets, for the duration of one call. */
public record Target(Destination destination, Map<String, String> secrets) {

    public String secret(String name) {
        return Optional.ofNullable(secrets.get(name)).orElseThrow(() ->
                new IllegalStateException("destination " + destination.id() + " has no secret " + name));
    }

    public String config(String name) {
        return destination.setting(name).orElseThrow(() ->
                new IllegalStateException("destination " + destination.id() + " has no " + name));
    }
}
