package io.satsuma.benchmarks;

import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.predictive.GammaGamma;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * Fit time of BG/NBD and Gamma-Gamma for 100,000 and 1,000,000 customers drawn from the published CDNOW model
 * (first purchases over 12 weeks, observed to week 39, purchase days in whole days, spend from the published
 * Gamma-Gamma), against the baseline of one hand-written pass of the log-likelihood over every customer, which is
 * what each of the optimiser's evaluations would cost without grouping identical histories.
 */
public final class PredictiveFitBenchmark {
    private static final BgNbd PURCHASES = new BgNbd(0.243, 4.414, 0.793, 2.426);
    private static final GammaGamma SPEND = new GammaGamma(6.25, 3.74, 15.44);

    private PredictiveFitBenchmark() {
    }

    public static void main(String[] args) {
        System.out.printf("%-10s %14s %16s %14s %14s %22s%n", "customers", "repeat", "BG/NBD fit ms", "evaluations",
                "GG fit ms", "one LL pass (base) ms");
        for (int n : new int[] {100_000, 1_000_000}) {
            List<Customer> customers = simulate(n, new Well19937c(n));
            BgNbd.fit(customers.subList(0, 20_000));
            long t0 = System.nanoTime();
            BgNbd.Fit purchases = BgNbd.fit(customers);
            long t1 = System.nanoTime();
            GammaGamma.Fit spend = GammaGamma.fit(customers);
            long t2 = System.nanoTime();
            double sum = 0;
            for (Customer customer : customers) {
                sum += PURCHASES.logLikelihood(customer);
            }
            long t3 = System.nanoTime();
            System.out.printf("%-10d %14d %16.0f %14d %14.0f %22.1f   (r=%.3f α=%.3f a=%.3f b=%.3f; p=%.2f q=%.2f γ=%.2f; LL %.0f)%n",
                    n, customers.stream().filter(c -> c.x() > 0).count(), (t1 - t0) / 1e6, purchases.evaluations(),
                    (t2 - t1) / 1e6, (t3 - t2) / 1e6, purchases.model().r(), purchases.model().alpha(),
                    purchases.model().a(), purchases.model().b(), spend.model().p(), spend.model().q(),
                    spend.model().gamma(), sum);
        }
    }

    static List<Customer> simulate(int n, Well19937c random) {
        GammaDistribution rates = new GammaDistribution(random, PURCHASES.r(), 1 / PURCHASES.alpha());
        BetaDistribution dropouts = new BetaDistribution(random, PURCHASES.a(), PURCHASES.b());
        GammaDistribution scales = new GammaDistribution(random, SPEND.q(), 1 / SPEND.gamma());
        List<Customer> customers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int birthDay = random.nextInt(84);
            double T = (273 - birthDay) / 7.0;
            double lambda = rates.sample();
            double p = dropouts.sample();
            double nu = scales.sample();
            GammaDistribution values = new GammaDistribution(random, SPEND.p(), 1 / nu);
            int x = 0;
            double tx = 0;
            double spent = 0;
            double now = 0;
            while (true) {
                now += -Math.log(1 - random.nextDouble()) / lambda;
                double day = Math.ceil(now * 7) / 7;
                if (day > T) {
                    break;
                }
                if (day > tx || x == 0) {
                    x++;
                    tx = day;
                }
                spent += values.sample();
                if (random.nextDouble() < p) {
                    break;
                }
            }
            customers.add(new Customer(x, tx, T, x == 0 ? 0 : spent / x));
        }
        return customers;
    }
}
