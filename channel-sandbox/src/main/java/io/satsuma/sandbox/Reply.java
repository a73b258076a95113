package io.satsuma.sandbox;

import java.util.Map;

/** What a stub answers: a status, a JSON (or empty) body, and extra headers. */
record Reply(int status, Object body, Map<String, String> headers) {
    static Reply json(int status, Object body) {
        return new Reply(status, body, Map.of());
    }

    static Reply empty(int status) {
        return new Reply(status, null, Map.of());
    }
}
