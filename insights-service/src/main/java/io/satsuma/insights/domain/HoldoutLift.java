package io.satsuma.insights.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a segment's campaign added over its control group (the members segment-service held out, {@code holdout} on
 * their entry): the profiles that entered in the range, each at its first entry in it, in the group of that entry;
 * per group the share that ordered within {@code conversionDays} days of entering and the net revenue (orders in that
 * window less what was refunded of them) per entrant. Treatment − control with the {@link Statistics} methods;
 * no claim of significance below {@link #MIN_PER_GROUP} entrants or {@link #MIN_OUTCOMES} conversions and
 * non-conversions per group, nor when the split is not the expected one (sample-ratio mismatch, p below
 * {@link #SRM_ALPHA}).
 */
public final class HoldoutLift {
    public static final int MIN_PER_GROUP = 100;
    public static final int MIN_OUTCOMES = 5;
    public static final double SRM_ALPHA = 0.001;
    public static final double CONFIDENCE = 0.95;

    /** One group: its entrants, how many converted, their conversion rate and net revenue per entrant. */
    public record Group(long entrants, long converted, Double conversionRate, BigDecimal revenuePerEntrant) {
    }

    /**
     * @param absoluteConversionLift treatment − control conversion rate, with Newcombe's interval and the z test
     * @param relativeConversionLift treatment / control − 1 (null without conversions in a group)
     * @param revenueLift            treatment − control net revenue per entrant, with Welch's interval and test
     * @param sampleRatioPValue      how likely the observed split is under the expected holdout share
     * @param significant            whether the conversion lift is significant at 5 %; null when no claim is made
     * @param verdict                in words, including why no claim is made
     */
    public record Lift(LocalDate from, LocalDate to, int conversionDays, double expectedHoldoutShare, Group treatment,
                       Group control, Statistics.Estimate absoluteConversionLift, Double relativeConversionLift,
                       Statistics.Interval relativeConversionLiftInterval, Statistics.Estimate revenueLift,
                       Double sampleRatioPValue, boolean sampleRatioMismatch, Boolean significant, String verdict) {
    }

    private HoldoutLift() {
    }

    public static Lift compute(List<MembershipRecord> changes, List<Fact> facts, LocalDate from, LocalDate to,
                               int conversionDays, double expectedHoldoutShare) {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Duration window = Duration.ofDays(conversionDays);
        FactIndex factsOf = new FactIndex(facts);
        List<Double> treatmentRevenue = new ArrayList<>();
        List<Double> controlRevenue = new ArrayList<>();
        long treatmentConverted = 0;
        long controlConverted = 0;
        for (List<MembershipIntervals.Interval> intervals : MembershipIntervals.of(changes).values()) {
            MembershipIntervals.Interval first = intervals.stream()
                    .filter(i -> !i.from().isBefore(start) && i.from().isBefore(end)).findFirst().orElse(null);
            if (first == null) {
                continue;
            }
            Instant until = first.from().plus(window);
            boolean converted = false;
            BigDecimal revenue = BigDecimal.ZERO;
            for (Fact f : factsOf.of(first.profileId())) {
                if (f.kind() == Fact.Kind.ORDER && !f.at().isBefore(first.from()) && !f.at().isAfter(until)) {
                    converted = true;
                    revenue = revenue.add(factsOf.net(f));
                }
            }
            if (first.holdout()) {
                controlRevenue.add(revenue.doubleValue());
                controlConverted += converted ? 1 : 0;
            } else {
                treatmentRevenue.add(revenue.doubleValue());
                treatmentConverted += converted ? 1 : 0;
            }
        }
        Group treatment = group(treatmentRevenue, treatmentConverted);
        Group control = group(controlRevenue, controlConverted);
        long nT = treatment.entrants();
        long nC = control.entrants();
        Double srm = nT + nC == 0 || expectedHoldoutShare <= 0 || expectedHoldoutShare >= 1 ? null
                : Statistics.sampleRatioPValue(nC, nT + nC, expectedHoldoutShare);
        boolean mismatch = srm != null && srm < SRM_ALPHA;
        if (nT == 0 || nC == 0) {
            return new Lift(from, to, conversionDays, expectedHoldoutShare, treatment, control, null, null, null, null,
                    srm, mismatch, null, "no claim: " + (nT == 0 ? "no treatment entrants" : "no control entrants")
                    + " in the range");
        }
        Statistics.Estimate absolute = Statistics.differenceOfProportions(treatmentConverted, nT, controlConverted, nC,
                CONFIDENCE);
        Double relative = controlConverted == 0 ? null
                : (treatment.conversionRate() / control.conversionRate()) - 1;
        Statistics.Estimate revenueLift = nT < 2 || nC < 2 ? null : Statistics.differenceOfMeans(
                toArray(treatmentRevenue), toArray(controlRevenue), CONFIDENCE);
        String shortfall = shortfall(nT, treatmentConverted, nC, controlConverted);
        Boolean significant = null;
        String verdict;
        if (mismatch) {
            verdict = "no claim: sample-ratio mismatch (p = " + String.format(Locale.ROOT, "%.2g", srm)
                    + "): the groups are not split as the segment's holdout share says";
        } else if (shortfall != null) {
            verdict = "no claim: " + shortfall;
        } else {
            significant = absolute.pValue() < 1 - CONFIDENCE;
            verdict = significant ? "the conversion lift is significant at 5 %" : "no significant conversion lift at 5 %";
        }
        return new Lift(from, to, conversionDays, expectedHoldoutShare, treatment, control, absolute, relative,
                Statistics.relativeDifferenceOfProportions(treatmentConverted, nT, controlConverted, nC, CONFIDENCE),
                revenueLift, srm, mismatch, significant, verdict);
    }

    private static String shortfall(long nT, long xT, long nC, long xC) {
        if (nT < MIN_PER_GROUP || nC < MIN_PER_GROUP) {
            return "fewer than " + MIN_PER_GROUP + " entrants in a group (treatment " + nT + ", control " + nC + ")";
        }
        if (Math.min(Math.min(xT, nT - xT), Math.min(xC, nC - xC)) < MIN_OUTCOMES) {
            return "fewer than " + MIN_OUTCOMES + " conversions or non-conversions in a group";
        }
        return null;
    }

    private static Group group(List<Double> revenue, long converted) {
        long n = revenue.size();
        double total = revenue.stream().mapToDouble(Double::doubleValue).sum();
        return new Group(n, converted, n == 0 ? null : (double) converted / n,
                n == 0 ? null : BigDecimal.valueOf(total / n).setScale(2, RoundingMode.HALF_EVEN));
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
