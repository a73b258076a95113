package io.satsuma.predictive;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over positive parameters with commons-math's Nelder–Mead simplex, searching their
 * logarithms (so every step stays positive) and restarting from the best point until a restart no longer improves
 * it: a simplex can stall on a flat ridge, a fresh one around the same point does not.
 */
final class MaximumLikelihood {
    private static final int MAX_RESTARTS = 20;

    private MaximumLikelihood() {
    }

    /** The estimate, its log-likelihood and how many evaluations it took. */
    record Estimate(double[] parameters, double logLikelihood, int evaluations) {
    }

    static Estimate maximise(ToDoubleFunction<double[]> logLikelihood, double[] start) {
        ObjectiveFunction negative = new ObjectiveFunction(logs -> {
            double value = logLikelihood.applyAsDouble(exp(logs));
            return Double.isFinite(value) ? -value : Double.MAX_VALUE;
        });
        double[] point = log(start);
        double best = Double.MAX_VALUE;
        int evaluations = 0;
        for (int restart = 0; restart < MAX_RESTARTS; restart++) {
            SimplexOptimizer optimizer = new SimplexOptimizer(1e-13, 1e-13);
            PointValuePair found = optimizer.optimize(new MaxEval(200_000), negative, GoalType.MINIMIZE,
                    new InitialGuess(point), new NelderMeadSimplex(point.length, 0.1));
            evaluations += optimizer.getEvaluations();
            boolean improved = found.getValue() < best - 1e-10;
            point = found.getPoint();
            best = Math.min(best, found.getValue());
            if (!improved) {
                break;
            }
        }
        return new Estimate(exp(point), -best, evaluations);
    }

    private static double[] exp(double[] logs) {
        double[] values = new double[logs.length];
        for (int i = 0; i < logs.length; i++) {
            values[i] = Math.exp(logs[i]);
        }
        return values;
    }

    private static double[] log(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }
}
