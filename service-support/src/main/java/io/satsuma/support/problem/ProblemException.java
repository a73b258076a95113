package io.satsuma.support.problem;

import io.satsuma.support.failure.FieldError;
import java.util.List;

/**
 * A failure the HTTP adapters detect themselves (a missing query parameter, an oversized body, a bad
 * credential), rendered as RFC 9457 {@code application/problem+json}. Use cases never throw it: they throw
 * the framework-free failures of {@code io.satsuma.support.failure}, which {@link ProblemMappers} renders too.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        this(status, title, detail, errors, null);
    }

    private ProblemException(int status, String title, String detail, List<FieldError> errors, Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429, with the seconds after which the request may succeed ({@code Retry-After}). */
    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ProblemException(429, "Too many requests", detail, List.of(), retryAfterSeconds);
    }

    public static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, "Invalid request", detail, errors);
    }

    public static ProblemException badRequest(String detail) {
        return badRequest(detail, List.of());
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, List.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, List.of());
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, List.of());
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Payload too large", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** For a 429: when to try again, in seconds; null otherwise. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
