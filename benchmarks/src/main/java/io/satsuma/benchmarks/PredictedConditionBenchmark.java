package io.satsuma.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.segment.domain.Condition;
import io.satsuma.segment.domain.ConditionParser;
import io.satsuma.segment.domain.PredictiveModels;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentGraph;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What predicted traits add to a segment evaluation: {@link ConditionBenchmark}'s 10-node condition on its profile
 * (60 events, 10 of them orders) with a predicted node in front — P(alive), the cheapest, or the 365-day value, the
 * dearest — against the same condition without it, in the same run. Also the cost of finding the next time-driven
 * change (the timer), which for a predicted trait is a bisection over days.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PredictedConditionBenchmark {
    private static final PredictiveModels CDNOW = new PredictiveModels(1, new BgNbd(0.243, 4.414, 0.793, 2.426),
            new GammaGamma(6.25, 3.74, 15.44), 7, LocalDate.parse("1997-09-30"), Instant.EPOCH);

    Condition withoutPredicted;
    Condition withPAlive;
    Condition withValue;
    ProfileFacts facts;

    @Setup
    public void setUp() throws Exception {
        withoutPredicted = parse(ConditionBenchmark.TEN_NODES);
        withPAlive = parse(inFront("{\"trait\": \"$predicted.pAlive\", \"op\": \"gte\", \"value\": 0.2}"));
        withValue = parse(inFront("{\"trait\": \"$predicted.value.P365D\", \"op\": \"gte\", \"value\": 10}"));
        facts = ConditionBenchmark.profile(new Random(7));
        boolean plain = withoutPredicted.matches(facts, ConditionBenchmark.NOW);
        if (withPAlive.matches(facts, ConditionBenchmark.NOW) != plain || withValue.matches(facts, ConditionBenchmark.NOW) != plain) {
            throw new IllegalStateException("the predicted node must hold here, so that all three evaluate the same rest");
        }
    }

    private static String inFront(String predicted) {
        String all = "{\"all\": [";
        return all + predicted + "," + ConditionBenchmark.TEN_NODES.substring(all.length());
    }

    private static Condition parse(String json) throws Exception {
        Condition condition = ConditionParser.parse(new ObjectMapper().readTree(json)).condition();
        Segment segment = new Segment("s", "ws", "s", null, null, condition, BigDecimal.ZERO, null, null, 1, Instant.EPOCH,
                Instant.EPOCH);
        return SegmentGraph.link(List.of(segment), CDNOW).get(0).condition();
    }

    @Benchmark
    public boolean evaluateWithoutPredicted() {
        return withoutPredicted.matches(facts, ConditionBenchmark.NOW);
    }

    @Benchmark
    public boolean evaluateWithPAlive() {
        return withPAlive.matches(facts, ConditionBenchmark.NOW);
    }

    @Benchmark
    public boolean evaluateWithValue365Days() {
        return withValue.matches(facts, ConditionBenchmark.NOW);
    }

    @Benchmark
    public Optional<Instant> nextFlipWithoutPredicted() {
        return withoutPredicted.nextFlip(facts, ConditionBenchmark.NOW);
    }

    @Benchmark
    public Optional<Instant> nextFlipWithPAlive() {
        return withPAlive.nextFlip(facts, ConditionBenchmark.NOW);
    }
}
