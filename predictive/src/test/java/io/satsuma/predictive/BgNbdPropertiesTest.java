package io.satsuma.predictive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/** The per-customer formulas: their bounds and monotonicity, and agreement with a simulation of the model itself. */
class BgNbdPropertiesTest {
    /** The published CDNOW estimates. */
    private static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);

    @Test
    void pAliveIsAProbabilityThatIsOneBeforeAnyRepeatPurchaseAndFallsWhileNothingIsBought() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            int x = random.nextInt(20);
            double tx = x == 0 ? 0 : random.nextDouble() * 50;
            double T = tx + random.nextDouble() * 50;
            Customer customer = new Customer(x, tx, T, 0);
            double p = CDNOW.pAlive(customer);
            assertThat(p).isBetween(0.0, 1.0);
            if (x == 0) {
                assertThat(p).isEqualTo(1.0);
            } else {
                Customer later = new Customer(x, tx, T + 0.5 + random.nextDouble() * 10, 0);
                assertThat(CDNOW.pAlive(later)).isLessThan(p);
            }
        }
    }

    @Test
    void expectedPurchasesGrowWithTheHorizonAndThePurchaseProbabilityStaysBelowPAlive() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            int x = random.nextInt(15);
            double tx = x == 0 ? 0 : random.nextDouble() * 39;
            Customer customer = new Customer(x, tx, tx + random.nextDouble() * 39, 0);
            double previous = 0;
            for (double t = 1; t <= 104; t += 7.5) {
                double expected = CDNOW.expectedPurchases(customer, t);
                assertThat(expected).isGreaterThan(previous);
                previous = expected;
                assertThat(CDNOW.probabilityOfPurchase(customer, t)).isBetween(0.0, CDNOW.pAlive(customer));
            }
        }
    }

    /**
     * 200,000 customers drawn from the model (λ ~ Gamma(r, α), p ~ Beta(a, b); repeat purchases at rate λ while
     * alive, dropping out after each with probability p), observed for T = 30 weeks, then 39 more. Averaged over the
     * simulated histories, each conditional formula must give what the simulation did (law of total expectation),
     * within four standard errors.
     */
    @Test
    void theFormulasAgreeWithASimulationOfTheModel() {
        Well19937c random = new Well19937c(2005);
        GammaDistribution rates = new GammaDistribution(random, CDNOW.r(), 1 / CDNOW.alpha());
        BetaDistribution dropouts = new BetaDistribution(random, CDNOW.a(), CDNOW.b());
        double T = 30;
        double horizon = 39;
        int n = 200_000;
        Moments alive = new Moments();
        Moments pAlive = new Moments();
        Moments future = new Moments();
        Moments expected = new Moments();
        Moments bought = new Moments();
        Moments probability = new Moments();
        Moments repeats = new Moments();
        for (int i = 0; i < n; i++) {
            double lambda = rates.sample();
            double p = dropouts.sample();
            int x = 0;
            double tx = 0;
            int later = 0;
            boolean aliveAtT = true;
            double now = 0;
            while (true) {
                now += -Math.log(1 - random.nextDouble()) / lambda;
                if (now > T + horizon) {
                    break;
                }
                if (now <= T) {
                    x++;
                    tx = now;
                } else {
                    later++;
                }
                if (random.nextDouble() < p) {
                    aliveAtT = now > T;
                    break;
                }
            }
            Customer customer = new Customer(x, tx, T, 0);
            alive.add(aliveAtT ? 1 : 0);
            pAlive.add(CDNOW.pAlive(customer));
            future.add(later);
            expected.add(CDNOW.expectedPurchases(customer, horizon));
            bought.add(later > 0 ? 1 : 0);
            probability.add(CDNOW.probabilityOfPurchase(customer, horizon));
            repeats.add(x);
        }
        assertThat(pAlive.mean()).isCloseTo(alive.mean(), within(4 * alive.standardError()));
        assertThat(expected.mean()).isCloseTo(future.mean(), within(4 * future.standardError()));
        assertThat(probability.mean()).isCloseTo(bought.mean(), within(4 * bought.standardError()));
        assertThat(CDNOW.expectedPurchasesOfNewCustomer(T)).isCloseTo(repeats.mean(), within(4 * repeats.standardError()));
    }

    @Test
    void theFittingSumEqualsTheSumOfTheCustomersLogLikelihoods() {
        Random random = new Random(3);
        Customer[] customers = new Customer[500];
        int[] weights = new int[customers.length];
        double expected = 0;
        for (int i = 0; i < customers.length; i++) {
            int x = random.nextInt(12);
            double tx = x == 0 ? 0 : random.nextInt(270) / 7.0;
            customers[i] = new Customer(x, tx, tx + random.nextInt(100) / 7.0, 0);
            weights[i] = 1 + random.nextInt(5);
            expected += weights[i] * CDNOW.logLikelihood(customers[i]);
        }
        assertThat(CDNOW.logLikelihood(customers, weights, 11)).isCloseTo(expected, within(1e-8 * Math.abs(expected)));
    }

    @Test
    void theHypergeometricSeriesMatchesItsClosedForms() {
        for (double z = -0.9; z < 0.95; z += 0.05) {
            if (Math.abs(z) > 1e-9) {
                assertThat(Hypergeometric.f21(1, 1, 2, z)).isCloseTo(-Math.log(1 - z) / z, within(1e-12));
            }
            assertThat(Hypergeometric.f21(2.5, 1.7, 1.7, z)).isCloseTo(Math.pow(1 - z, -2.5), within(1e-9));
        }
    }

    /** Mean and standard error of the mean, accumulated. */
    private static final class Moments {
        private long n;
        private double sum;
        private double sumOfSquares;

        void add(double value) {
            n++;
            sum += value;
            sumOfSquares += value * value;
        }

        double mean() {
            return sum / n;
        }

        double standardError() {
            double variance = (sumOfSquares - sum * sum / n) / (n - 1);
            return Math.sqrt(variance / n);
        }
    }
}
