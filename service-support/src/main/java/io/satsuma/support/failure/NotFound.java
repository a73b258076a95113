package io.satsuma.support.failure;

/** What a use case was asked about does not exist in the caller's workspace (rendered as 404). */
public class NotFound extends RuntimeException {
    public NotFound(String detail) {
        super(detail);
    }
}
