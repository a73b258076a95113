package io.satsuma.support.failure;

import java.util.List;

/**
 * A use case refused its input: nothing was stored. Lists every bad field it found, so the caller can
 * mend them all at once. The REST adapters render it as 400 with a pointer per field.
 */
public class InvalidInput extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidInput(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public InvalidInput(String detail) {
        this(detail, List.of());
    }

    /** One bad field. */
    public static InvalidInput of(String detail, String pointer, String message) {
        return new InvalidInput(detail, List.of(new FieldError(pointer, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
