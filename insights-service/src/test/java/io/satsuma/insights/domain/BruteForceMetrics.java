package io.satsuma.insights.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metrics' definitions computed the slow, obvious way from what truly happened ({@link RandomHistory}), not through
 * the production code: membership is asked instant by instant of the true entries and exits.
 */
public final class BruteForceMetrics {

    private BruteForceMetrics() {
    }

    public static List<SegmentMetrics.BucketMetrics> compute(RandomHistory history, Bucketing bucketing, int conversionDays) {
        Set<String> profiles = new TreeSet<>();
        history.toggles.forEach(t -> profiles.add(t.profileId()));
        List<SegmentMetrics.BucketMetrics> buckets = new ArrayList<>();
        for (LocalDate start = first(history.from, bucketing); !start.isAfter(history.to); start = next(start, bucketing)) {
            LocalDate endDay = next(start, bucketing);
            Instant s = start.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant e = endDay.atStartOfDay(ZoneOffset.UTC).toInstant();
            long size = 0;
            long entries = 0;
            long exits = 0;
            long members = 0;
            long entrants = 0;
            List<Double> days = new ArrayList<>();
            long orders = 0;
            long opens = 0;
            long clicks = 0;
            BigDecimal gross = BigDecimal.ZERO;
            BigDecimal refunded = BigDecimal.ZERO;
            for (String p : profiles) {
                if (memberAt(history, p, e.minusNanos(1))) {
                    size++;
                }
                Instant firstEntry = null;
                for (RandomHistory.Toggle t : history.toggles) {
                    if (t.profileId().equals(p) && !t.at().isBefore(s) && t.at().isBefore(e)) {
                        if (t.entered()) {
                            entries++;
                            firstEntry = firstEntry == null ? t.at() : firstEntry;
                        } else {
                            exits++;
                        }
                    }
                }
                if (memberAt(history, p, s) || firstEntry != null) {
                    members++;
                }
                if (firstEntry != null) {
                    entrants++;
                    Instant entered = firstEntry;
                    history.facts.stream()
                            .filter(f -> f.profileId().equals(p) && f.kind() == Fact.Kind.ORDER && !f.at().isBefore(entered)
                                    && !f.at().isAfter(entered.plus(Duration.ofDays(conversionDays))))
                            .map(Fact::at).min(Instant::compareTo)
                            .ifPresent(at -> days.add(Duration.between(entered, at).toSeconds() / 86_400.0));
                }
                for (Fact f : history.facts) {
                    if (!f.profileId().equals(p) || f.at().isBefore(s) || !f.at().isBefore(e) || !memberAt(history, p, f.at())) {
                        continue;
                    }
                    if (f.kind() == Fact.Kind.ORDER) {
                        orders++;
                        gross = gross.add(f.amount());
                        for (Fact r : history.facts) {
                            if (r.kind() == Fact.Kind.REFUND && f.orderId().equals(r.orderId())) {
                                refunded = refunded.add(r.amount());
                            }
                        }
                    } else if (f.kind() == Fact.Kind.EMAIL_OPEN) {
                        opens++;
                    } else if (f.kind() == Fact.Kind.EMAIL_CLICK) {
                        clicks++;
                    }
                }
            }
            BigDecimal net = gross.subtract(refunded);
            days.sort(Double::compareTo);
            Double median = days.isEmpty() ? null : days.size() % 2 == 1 ? days.get(days.size() / 2)
                    : (days.get(days.size() / 2 - 1) + days.get(days.size() / 2)) / 2;
            buckets.add(new SegmentMetrics.BucketMetrics(start, endDay, size, entries, exits, members, entrants,
                    days.size(), entrants == 0 ? null : (double) days.size() / entrants, median, orders, gross, refunded,
                    net, members == 0 ? null : net.divide(BigDecimal.valueOf(members), 2, RoundingMode.HALF_EVEN),
                    orders == 0 ? null : gross.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_EVEN),
                    members == 0 ? null : (double) orders / members, opens, clicks,
                    members == 0 ? null : (double) opens / members, members == 0 ? null : (double) clicks / members));
        }
        return buckets;
    }

    /** The holdout groups' entrants, conversions and net revenue in the conversion window, counted from the truth. */
    public record Groups(long treatmentEntrants, long treatmentConverted, double treatmentRevenue,
                         long controlEntrants, long controlConverted, double controlRevenue) {
    }

    public static Groups holdoutGroups(RandomHistory history, int conversionDays) {
        Instant s = history.from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant e = history.to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long[] entrants = new long[2];
        long[] converted = new long[2];
        double[] revenue = new double[2];
        Set<String> seen = new TreeSet<>();
        for (RandomHistory.Toggle t : history.toggles) { // in time order per profile
            if (!t.entered() || t.at().isBefore(s) || !t.at().isBefore(e) || !seen.add(t.profileId())) {
                continue;
            }
            int group = t.holdout() ? 1 : 0;
            entrants[group]++;
            boolean bought = false;
            for (Fact f : history.facts) {
                if (f.profileId().equals(t.profileId()) && f.kind() == Fact.Kind.ORDER && !f.at().isBefore(t.at())
                        && !f.at().isAfter(t.at().plus(Duration.ofDays(conversionDays)))) {
                    bought = true;
                    revenue[group] += f.amount().doubleValue();
                    for (Fact r : history.facts) {
                        if (r.kind() == Fact.Kind.REFUND && f.orderId().equals(r.orderId())) {
                            revenue[group] -= r.amount().doubleValue();
                        }
                    }
                }
            }
            converted[group] += bought ? 1 : 0;
        }
        return new Groups(entrants[0], converted[0], revenue[0], entrants[1], converted[1], revenue[1]);
    }

    /** Whether the profile's latest true change at or before {@code t} was an entry. */
    public static boolean memberAt(RandomHistory history, String profile, Instant t) {
        boolean member = false;
        for (RandomHistory.Toggle toggle : history.toggles) {
            if (toggle.profileId().equals(profile) && !toggle.at().isAfter(t)) {
                member = toggle.entered();
            }
        }
        return member;
    }

    private static LocalDate first(LocalDate day, Bucketing bucketing) {
        return switch (bucketing) {
            case DAY -> day;
            case WEEK -> day.minusDays(day.getDayOfWeek().getValue() - 1);
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    private static LocalDate next(LocalDate start, Bucketing bucketing) {
        return switch (bucketing) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusDays(7);
            case MONTH -> start.plusMonths(1);
        };
    }
}
