package io.satsuma.predictive;

/** A fit refused because the data cannot support it; the message says what is missing, for the person who asked. */
public class TooLittleData extends RuntimeException {
    public TooLittleData(String message) {
        super(message);
    }
}
