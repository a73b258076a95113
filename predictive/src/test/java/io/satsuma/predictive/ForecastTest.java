package io.satsuma.predictive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/** The CDNOW holdout (weeks 40 to 78) forecast from the calibration fit, and the spend and value formulas. */
class ForecastTest {
    private static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);

    /**
     * Against keeping each customer's calibration rate (the naive baseline), the model's expected repeat purchases
     * in the 39 holdout weeks are closer to the actual ones, summed over the 2,357 customers and customer by
     * customer (squared error). The figures are printed for BENCHMARKS.md.
     */
    @Test
    void theCalibrationFitForecastsTheHoldoutBetterThanEachCustomersOwnRate() throws Exception {
        Map<String, List<Purchases.Purchase>> byCustomer = CdnowPublishedResultsTest.purchasesByCustomer();
        BgNbd model = BgNbd.fit(byCustomer.values().stream()
                .map(p -> Purchases.summarise(p, CdnowPublishedResultsTest.CALIBRATION_END, 7)).toList()).model();
        double horizon = ChronoUnit.DAYS.between(CdnowPublishedResultsTest.CALIBRATION_END, HOLDOUT_END) / 7.0;
        double actual = 0;
        double forecast = 0;
        double naive = 0;
        double modelSquaredError = 0;
        double naiveSquaredError = 0;
        double cumulativeActual = 0;
        double cumulativeForecast = 0;
        for (List<Purchases.Purchase> purchases : byCustomer.values()) {
            Customer customer = Purchases.summarise(purchases, CdnowPublishedResultsTest.CALIBRATION_END, 7);
            TreeSet<LocalDate> holdoutDays = new TreeSet<>();
            purchases.stream().map(Purchases.Purchase::day)
                    .filter(d -> d.isAfter(CdnowPublishedResultsTest.CALIBRATION_END) && !d.isAfter(HOLDOUT_END))
                    .forEach(holdoutDays::add);
            double expected = model.expectedPurchases(customer, horizon);
            double ownRate = customer.T() == 0 ? 0 : customer.x() / customer.T() * horizon;
            Customer whole = Purchases.summarise(purchases, HOLDOUT_END, 7);
            cumulativeActual += whole.x();
            cumulativeForecast += model.expectedPurchasesOfNewCustomer(whole.T());
            actual += holdoutDays.size();
            forecast += expected;
            naive += ownRate;
            modelSquaredError += Math.pow(expected - holdoutDays.size(), 2);
            naiveSquaredError += Math.pow(ownRate - holdoutDays.size(), 2);
        }
        System.out.printf("CDNOW holdout, %.1f weeks: actual %.0f repeat purchases, BG/NBD %.1f, naive %.1f; "
                        + "per-customer MSE BG/NBD %.3f, naive %.3f; cumulative to week 78: actual %.0f, BG/NBD %.1f%n",
                horizon, actual, forecast, naive, modelSquaredError / byCustomer.size(),
                naiveSquaredError / byCustomer.size(), cumulativeActual, cumulativeForecast);
        assertThat(Math.abs(forecast - actual)).isLessThan(Math.abs(naive - actual));
        assertThat(modelSquaredError).isLessThan(naiveSquaredError);
    }

    @Test
    void expectedSpendLiesBetweenThePopulationMeanAndTheCustomersOwnAndAgreesWithASimulation() {
        GammaGamma model = new GammaGamma(6.25, 3.74, 15.44);
        double population = model.p() * model.gamma() / (model.q() - 1);
        for (int x = 1; x < 30; x++) {
            for (double mean : new double[] {5, 20, 35, 80}) {
                double expected = model.expectedValue(new Customer(x, 1, 2, mean));
                assertThat(expected).isBetween(Math.min(population, mean), Math.max(population, mean));
            }
        }
        // Averaged over simulated customers, E[M | x, m] must equal the mean of their true spend per purchase p/ν.
        Well19937c random = new Well19937c(2013);
        GammaDistribution scales = new GammaDistribution(random, model.q(), 1 / model.gamma());
        double truth = 0;
        double estimated = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double nu = scales.sample();
            int x = 1 + random.nextInt(5);
            double sum = 0;
            for (int k = 0; k < x; k++) {
                sum += new GammaDistribution(random, model.p(), 1 / nu).sample();
            }
            truth += model.p() / nu;
            estimated += model.expectedValue(new Customer(x, 1, 2, sum / x));
        }
        assertThat(estimated / n).isCloseTo(truth / n, within(0.01 * truth / n));
    }

    @Test
    void valueGrowsWithTheHorizonAndDiscountingLowersIt() {
        BgNbd purchases = new BgNbd(0.243, 4.414, 0.793, 2.426);
        GammaGamma spend = new GammaGamma(6.25, 3.74, 15.44);
        Customer regular = new Customer(6, 36, 38, 40);
        double year = CustomerValue.expected(purchases, spend, regular, 52, 0);
        assertThat(year).isCloseTo(purchases.expectedPurchases(regular, 52) * spend.expectedValue(regular), within(1e-9));
        assertThat(CustomerValue.expected(purchases, spend, regular, 104, 0)).isGreaterThan(year);
        assertThat(CustomerValue.expected(purchases, spend, regular, 52, 0.002)).isLessThan(year);
        assertThat(CustomerValue.expected(purchases, spend, new Customer(6, 5, 38, 40), 52, 0)).isLessThan(year);
    }
}
