package io.satsuma.insights.domain;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The interval estimates and tests the holdout lift reports, each a published method (95 % by default):
 * <ul>
 *   <li>difference of two proportions: Newcombe's hybrid score interval (method 10 of Newcombe 1998, "Interval
 *       estimation for the difference between independent proportions", Statistics in Medicine 17:873–890), built
 *       from the two Wilson score intervals;</li>
 *   <li>ratio of two proportions: the Katz log interval (Katz et al. 1978);</li>
 *   <li>test of two proportions: the pooled two-sided z test (equal to Pearson's χ² without continuity correction);</li>
 *   <li>difference of two means: Welch's t interval and test with the Welch–Satterthwaite degrees of freedom;</li>
 *   <li>sample-ratio mismatch: Pearson's χ² goodness of fit of the two group sizes to the expected split (1 df).</li>
 * </ul>
 */
public final class Statistics {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private Statistics() {
    }

    /** A two-sided interval. */
    public record Interval(double lower, double upper) {
    }

    /** An estimate, its interval and the two-sided p-value of "no difference". */
    public record Estimate(double value, Interval interval, double pValue) {
    }

    static double z(double confidence) {
        return NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    /** Wilson's score interval for x successes in n trials (n > 0). */
    public static Interval wilson(long x, long n, double confidence) {
        double z = z(confidence);
        double p = (double) x / n;
        double centre = 2 * n * p + z * z;
        double spread = z * Math.sqrt(z * z + 4 * n * p * (1 - p));
        double denominator = 2 * (n + z * z);
        return new Interval((centre - spread) / denominator, (centre + spread) / denominator);
    }

    /** p1 − p2 with Newcombe's hybrid score interval and the pooled z test. */
    public static Estimate differenceOfProportions(long x1, long n1, long x2, long n2, double confidence) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        Interval w1 = wilson(x1, n1, confidence);
        Interval w2 = wilson(x2, n2, confidence);
        double d = p1 - p2;
        Interval interval = new Interval(d - Math.sqrt(square(p1 - w1.lower()) + square(w2.upper() - p2)),
                d + Math.sqrt(square(w1.upper() - p1) + square(p2 - w2.lower())));
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double pValue = se == 0 ? 1.0 : 2 * NORMAL.cumulativeProbability(-Math.abs(d / se));
        return new Estimate(d, interval, pValue);
    }

    /** p1 / p2 − 1 with the Katz log interval; null when either group has no success (the ratio has no interval). */
    public static Interval relativeDifferenceOfProportions(long x1, long n1, long x2, long n2, double confidence) {
        if (x1 == 0 || x2 == 0) {
            return null;
        }
        double ratio = ((double) x1 / n1) / ((double) x2 / n2);
        double se = Math.sqrt(1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2);
        double z = z(confidence);
        return new Interval(ratio * Math.exp(-z * se) - 1, ratio * Math.exp(z * se) - 1);
    }

    /** mean1 − mean2 with Welch's t interval and test; needs at least two values in each group. */
    public static Estimate differenceOfMeans(double[] a, double[] b, double confidence) {
        double m1 = mean(a);
        double m2 = mean(b);
        double v1 = variance(a, m1) / a.length;
        double v2 = variance(b, m2) / b.length;
        double d = m1 - m2;
        double se = Math.sqrt(v1 + v2);
        if (se == 0) {
            return new Estimate(d, new Interval(d, d), d == 0 ? 1.0 : 0.0);
        }
        double df = square(v1 + v2) / (square(v1) / (a.length - 1) + square(v2) / (b.length - 1));
        TDistribution t = new TDistribution(null, df);
        double q = t.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        return new Estimate(d, new Interval(d - q * se, d + q * se), 2 * t.cumulativeProbability(-Math.abs(d / se)));
    }

    /** The p-value of observing {@code control} of {@code total} in the control group when {@code expectedShare} is due. */
    public static double sampleRatioPValue(long control, long total, double expectedShare) {
        double expectedControl = total * expectedShare;
        double expectedTreatment = total * (1 - expectedShare);
        double chi = square(control - expectedControl) / expectedControl
                + square((total - control) - expectedTreatment) / expectedTreatment;
        return 1 - new ChiSquaredDistribution(null, 1).cumulativeProbability(chi);
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += square(v - mean);
        }
        return sum / (values.length - 1);
    }

    private static double square(double v) {
        return v * v;
    }
}
