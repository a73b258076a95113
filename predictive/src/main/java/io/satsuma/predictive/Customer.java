package io.satsuma.predictive;

/**
 * What the models know of a customer, in one unit of time (weeks in the papers): {@code x} repeat purchases
 * (purchases after the first, on distinct days), {@code tx} the time from the first to the last purchase, {@code T}
 * the time from the first purchase to the end of the observation, and the mean value of the repeat purchases
 * ({@code meanRepeatValue}, 0 without one).
 */
public record Customer(int x, double tx, double T, double meanRepeatValue) {
    public Customer {
        if (x < 0 || tx < 0 || T < tx || (x == 0 && tx != 0)) {
            throw new IllegalArgumentException("need x ≥ 0, 0 ≤ tx ≤ T and tx = 0 without repeat purchases: x=" + x
                    + " tx=" + tx + " T=" + T);
        }
    }
}
