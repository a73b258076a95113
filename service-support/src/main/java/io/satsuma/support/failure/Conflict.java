package io.satsuma.support.failure;

/** The request is valid but clashes with the current state (a name taken, a merge that is not there; rendered as 409). */
public class Conflict extends RuntimeException {
    public Conflict(String detail) {
        super(detail);
    }
}
