package io.satsuma.support.kafka;

/**
 * A record that can never be handled as it is. Its message is shown to operators in the dead-letter listing
 * and travels in the {@code dead-letter-reason} header, so it must never carry personal data: say what is
 * wrong (a missing header, an unknown type), not which value was there.
 */
public class PoisonRecord extends RuntimeException {
    public PoisonRecord(String safeReason) {
        super(safeReason);
    }

    public PoisonRecord(String safeReason, Throwable cause) {
        super(safeReason, cause);
    }
}
