package io.satsuma.activation.domain;

/** Waits until the destination's rate limit allows one more request (its token bucket). */
public interface Throttle {
    void acquire(Destination destination) throws InterruptedException;
}
