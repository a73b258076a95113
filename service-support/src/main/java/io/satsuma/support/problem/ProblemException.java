package io.satsuma.support.problem;

import java.util.List;

/**
 * A failure that the caller caused or must know about, rendered as RFC 9457
 * {@code application/problem+json}. Validation failures list each bad field by JSON pointer.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
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

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, List.of());
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, List.of());
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

    /** One invalid field: where it is (RFC 6901 JSON pointer into the request body) and what is wrong. */
    public record FieldError(String pointer, String message) {
    }
}
