package io.satsuma.predictive;

import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.List;

/**
 * The Gamma-Gamma model of spend per purchase (Fader and Hardie 2013, "The Gamma-Gamma Model of Monetary Value"):
 * a customer's purchase values are Gamma(p, ν) around their own mean, with ν ~ Gamma(q, γ) across customers,
 * independent of how often they buy. Fitted on the customers with repeat purchases, from their number and mean value.
 */
public record GammaGamma(double p, double q, double gamma) {
    public GammaGamma {
        if (!(p > 0 && q > 0 && gamma > 0)) {
            throw new IllegalArgumentException("Gamma-Gamma parameters must be positive: p=" + p + " q=" + q
                    + " gamma=" + gamma);
        }
    }

    public record Fit(GammaGamma model, double logLikelihood, int customers, int evaluations) {
    }

    /** Spend varies within and across customers: fewer repeat customers than this do not separate the two. */
    public static final int MIN_REPEAT_CUSTOMERS = 20;

    /**
     * Maximum-likelihood estimates over the customers with at least one repeat purchase of positive value (the
     * others say nothing about spend per purchase).
     *
     * @throws TooLittleData below {@link #MIN_REPEAT_CUSTOMERS} such customers
     */
    public static Fit fit(List<Customer> customers) {
        List<Customer> repeaters = customers.stream().filter(c -> c.x() > 0 && c.meanRepeatValue() > 0).toList();
        if (repeaters.size() < MIN_REPEAT_CUSTOMERS) {
            throw new TooLittleData("Gamma-Gamma needs at least " + MIN_REPEAT_CUSTOMERS + " customers with a repeat "
                    + "purchase of positive value; there are " + repeaters.size());
        }
        // Per customer only two logarithms depend on the parameters; the log-gammas depend on x alone.
        int n = repeaters.size();
        int[] xs = new int[n];
        double[] means = new double[n];
        double[] logMeans = new double[n];
        int maxX = 0;
        for (int i = 0; i < n; i++) {
            xs[i] = repeaters.get(i).x();
            means[i] = repeaters.get(i).meanRepeatValue();
            logMeans[i] = Math.log(means[i]);
            maxX = Math.max(maxX, xs[i]);
        }
        int repeatsUpTo = maxX;
        MaximumLikelihood.Estimate estimate = MaximumLikelihood.maximise(v -> {
            double p = v[0];
            double q = v[1];
            double gamma = v[2];
            double[] byX = new double[repeatsUpTo + 1];
            for (int x = 1; x <= repeatsUpTo; x++) {
                byX[x] = logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma) + p * x * Math.log(x);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int x = xs[i];
                sum += byX[x] + (p * x - 1) * logMeans[i] - (p * x + q) * Math.log(gamma + means[i] * x);
            }
            return sum;
        }, new double[] {1, 1, 1});
        double[] v = estimate.parameters();
        return new Fit(new GammaGamma(v[0], v[1], v[2]), estimate.logLikelihood(), repeaters.size(), estimate.evaluations());
    }

    /** ln of the density of a customer's x repeat purchases averaging m (up to terms that do not depend on p, q, γ). */
    public double logLikelihood(Customer c) {
        int x = c.x();
        double m = c.meanRepeatValue();
        return logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma)
                + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + m * x);
    }

    /** E[M | x, m]: the customer's expected value per purchase, between the population mean and their own. */
    public double expectedValue(Customer c) {
        int x = c.x();
        return p * (gamma + c.meanRepeatValue() * x) / (p * x + q - 1);
    }
}
