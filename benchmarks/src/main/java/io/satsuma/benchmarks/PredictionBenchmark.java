package io.satsuma.benchmarks;

import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.predictive.CustomerValue;
import io.satsuma.predictive.GammaGamma;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What one profile's predictions cost, per call, with the published CDNOW parameters and a six-purchase customer:
 * the numbers a segment evaluation would compute. Run beside {@link ConditionBenchmark} (a 10-node condition
 * without predictions) so the two can be compared in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PredictionBenchmark {
    private final BgNbd purchases = new BgNbd(0.243, 4.414, 0.793, 2.426);
    private final GammaGamma spend = new GammaGamma(6.25, 3.74, 15.44);
    private final Customer customer = new Customer(6, 30.4, 38.1, 27.5);

    @Benchmark
    public double pAlive() {
        return purchases.pAlive(customer);
    }

    @Benchmark
    public double expectedOrders90Days() {
        return purchases.expectedPurchases(customer, 90 / 7.0);
    }

    @Benchmark
    public double orderProbability30Days() {
        return purchases.probabilityOfPurchase(customer, 30 / 7.0);
    }

    @Benchmark
    public double value365DaysWeekly() {
        return CustomerValue.expected(purchases, spend, customer, 365 / 7.0, 0.0018);
    }
}
