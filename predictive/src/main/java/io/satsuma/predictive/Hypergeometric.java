package io.satsuma.predictive;

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) by its power series, which BG/NBD's expected number of
 * purchases needs and no well-kept Java library provides. The series converges for |z| < 1, which is where the
 * model uses it (z = t / (α + T + t)); it is summed until a term no longer changes the sum.
 */
public final class Hypergeometric {
    private static final int MAX_TERMS = 1_000_000;

    private Hypergeometric() {
    }

    public static double f21(double a, double b, double c, double z) {
        if (!(Math.abs(z) < 1)) {
            throw new IllegalArgumentException("the series converges for |z| < 1 only, got z = " + z);
        }
        double term = 1;
        double sum = 1;
        for (int k = 0; k < MAX_TERMS; k++) {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            double next = sum + term;
            if (next == sum) {
                return sum;
            }
            sum = next;
        }
        throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge");
    }
}
