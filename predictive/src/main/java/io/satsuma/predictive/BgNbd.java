package io.satsuma.predictive;

import static org.apache.commons.math3.special.Beta.logBeta;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BG/NBD model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy Way", Marketing Science 24(2)):
 * while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability
 * p ~ Beta(a, b). Time is in the unit the customers were summarised in.
 */
public record BgNbd(double r, double alpha, double a, double b) {
    public BgNbd {
        if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
            throw new IllegalArgumentException("BG/NBD parameters must be positive: r=" + r + " alpha=" + alpha
                    + " a=" + a + " b=" + b);
        }
    }

    /** Parameters with their log-likelihood, the customers they were fitted to, and the optimiser's evaluations. */
    public record Fit(BgNbd model, double logLikelihood, int customers, int evaluations) {
    }

    /** Fewer customers, or fewer of them with a repeat purchase, leave dropout and frequency confounded. */
    public static final int MIN_CUSTOMERS = 100;
    public static final int MIN_REPEAT_CUSTOMERS = 20;

    /**
     * Maximum-likelihood estimates over the customers (equation 6 of the paper, summed).
     *
     * @throws TooLittleData below {@link #MIN_CUSTOMERS} customers or {@link #MIN_REPEAT_CUSTOMERS} repeat customers
     */
    public static Fit fit(List<Customer> customers) {
        long repeaters = customers.stream().filter(c -> c.x() > 0).count();
        if (customers.size() < MIN_CUSTOMERS || repeaters < MIN_REPEAT_CUSTOMERS) {
            throw new TooLittleData("BG/NBD needs at least " + MIN_CUSTOMERS + " customers, " + MIN_REPEAT_CUSTOMERS
                    + " of them with a repeat purchase; there are " + customers.size() + ", " + repeaters + " of them");
        }
        // Customers with the same (x, t_x, T) contribute the same term: counted once, weighted. With days as the grain
        // most customers share a few thousand histories (all one-time buyers of a day share one), so a fit over
        // 1,000,000 customers costs little more than one over 100,000.
        Map<Customer, Integer> histories = new HashMap<>();
        for (Customer customer : customers) {
            histories.merge(new Customer(customer.x(), customer.tx(), customer.T(), 0), 1, Integer::sum);
        }
        Customer[] distinct = histories.keySet().toArray(new Customer[0]);
        int[] weights = new int[distinct.length];
        for (int i = 0; i < distinct.length; i++) {
            weights[i] = histories.get(distinct[i]);
        }
        int maxX = 0;
        for (Customer customer : distinct) {
            maxX = Math.max(maxX, customer.x());
        }
        int repeatsUpTo = maxX;
        MaximumLikelihood.Estimate estimate = MaximumLikelihood.maximise(
                p -> new BgNbd(p[0], p[1], p[2], p[3]).logLikelihood(distinct, weights, repeatsUpTo),
                new double[] {1, 1, 1, 1});
        double[] p = estimate.parameters();
        return new Fit(new BgNbd(p[0], p[1], p[2], p[3]), estimate.logLikelihood(), customers.size(), estimate.evaluations());
    }

    /** The log of the customer's likelihood, ln L(r, α, a, b | x, t_x, T). */
    public double logLikelihood(Customer c) {
        int x = c.x();
        double common = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
        double stillAlive = logBeta(a, b + x) - logBeta(a, b) - (r + x) * Math.log(alpha + c.T());
        if (x == 0) {
            return common + stillAlive;
        }
        double droppedAfterLast = logBeta(a + 1, b + x - 1) - logBeta(a, b) - (r + x) * Math.log(alpha + c.tx());
        double max = Math.max(stillAlive, droppedAfterLast);
        return common + max + Math.log(Math.exp(stillAlive - max) + Math.exp(droppedAfterLast - max));
    }

    /**
     * The same sum as {@link #logLikelihood(Customer)} over weighted customers, with the terms that depend on x alone
     * (log-gamma and log-beta) computed once per x: what makes a fit over a million customers affordable.
     */
    double logLikelihood(Customer[] customers, int[] weights, int maxX) {
        double[] common = new double[maxX + 1];
        double[] stillAlive = new double[maxX + 1];
        double[] droppedAfterLast = new double[maxX + 1];
        double logBetaAB = logBeta(a, b);
        for (int x = 0; x <= maxX; x++) {
            common[x] = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
            stillAlive[x] = logBeta(a, b + x) - logBetaAB;
            droppedAfterLast[x] = x == 0 ? 0 : logBeta(a + 1, b + x - 1) - logBetaAB;
        }
        double sum = 0;
        for (int i = 0; i < customers.length; i++) {
            Customer c = customers[i];
            int x = c.x();
            double alive = stillAlive[x] - (r + x) * Math.log(alpha + c.T());
            double term;
            if (x == 0) {
                term = common[x] + alive;
            } else {
                double dropped = droppedAfterLast[x] - (r + x) * Math.log(alpha + c.tx());
                double max = Math.max(alive, dropped);
                term = common[x] + max + Math.log(Math.exp(alive - max) + Math.exp(dropped - max));
            }
            sum += weights[i] * term;
        }
        return sum;
    }

    /** P(alive at T | x, t_x, T): 1 before any repeat purchase, falling as time passes without one. */
    public double pAlive(Customer c) {
        return 1 / (1 + deadOdds(c));
    }

    /** E[X(T, T + t) | x, t_x, T]: the purchases expected in the next t (equation 10 of the paper). */
    public double expectedPurchases(Customer c, double t) {
        int x = c.x();
        double z = t / (alpha + c.T() + t);
        double stays = Math.pow((alpha + c.T()) / (alpha + c.T() + t), r + x)
                * Hypergeometric.f21(r + x, b + x, a + b + x - 1, z);
        return (a + b + x - 1) / (a - 1) * (1 - stays) / (1 + deadOdds(c));
    }

    /**
     * P(X(T, T + t) > 0 | x, t_x, T): alive at T (dropout follows purchases only, so an alive customer who does not
     * buy stays alive), times the chance that a rate drawn from its posterior Gamma(r + x, α + T) makes a purchase.
     */
    public double probabilityOfPurchase(Customer c, double t) {
        return pAlive(c) * (1 - Math.pow((alpha + c.T()) / (alpha + c.T() + t), r + c.x()));
    }

    /** E[X(t)] for a customer who made a first purchase t ago (equation 9): the model's aggregate forecast. */
    public double expectedPurchasesOfNewCustomer(double t) {
        double z = t / (alpha + t);
        return (a + b - 1) / (a - 1) * (1 - Math.pow(alpha / (alpha + t), r) * Hypergeometric.f21(r, b, a + b - 1, z));
    }

    /** (a / (b + x − 1)) ((α + T) / (α + t_x))^(r + x) for x > 0: the odds of having dropped out after the last purchase. */
    private double deadOdds(Customer c) {
        int x = c.x();
        if (x == 0) {
            return 0;
        }
        return a / (b + x - 1) * Math.pow((alpha + c.T()) / (alpha + c.tx()), r + x);
    }
}
