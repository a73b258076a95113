package io.satsuma.insights.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A segment's figures per bucket of UTC days, from its membership changes and its members' facts (in event time, in
 * any order, repeated or not). Definitions (also in the service README):
 * <ul>
 *   <li><b>size</b>: members at the end of the bucket; <b>entries</b>, <b>exits</b>: membership intervals starting,
 *       ending in it; <b>members</b>: profiles that were members at any time in it;</li>
 *   <li><b>conversion</b>: of the profiles that entered in the bucket (<b>entrants</b>, each at its first entry in
 *       it), the share that ordered within {@code conversionDays} days of entering (member or not by then);
 *       <b>median days to first order</b> among them;</li>
 *   <li><b>revenue</b>: orders placed in the bucket by a profile while it was a member; <b>refunded</b>: what was
 *       refunded of those orders (matched by order id, whenever refunded); <b>net</b> = gross − refunded; per member,
 *       <b>average order value</b> (gross / orders) and orders per member;</li>
 *   <li><b>engagement</b>: email opens and clicks in the bucket while a member, in total and per member.</li>
 * </ul>
 */
public final class SegmentMetrics {
    private static final double SECONDS_PER_DAY = 86_400.0;

    public record BucketMetrics(LocalDate start, LocalDate end, long size, long entries, long exits, long members,
                                long entrants, long converted, Double conversionRate, Double medianDaysToFirstOrder,
                                long orders, BigDecimal grossRevenue, BigDecimal refunded, BigDecimal netRevenue,
                                BigDecimal revenuePerMember, BigDecimal averageOrderValue, Double ordersPerMember,
                                long emailOpens, long emailClicks, Double opensPerMember, Double clicksPerMember) {
    }

    private SegmentMetrics() {
    }

    public static List<BucketMetrics> compute(List<MembershipRecord> changes, List<Fact> facts, LocalDate from,
                                              LocalDate to, Bucketing bucketing, int conversionDays) {
        Map<String, List<MembershipIntervals.Interval>> intervals = MembershipIntervals.of(changes);
        FactIndex factsOf = new FactIndex(facts);
        Duration window = Duration.ofDays(conversionDays);

        List<BucketMetrics> result = new ArrayList<>();
        for (Bucketing.Bucket bucket : bucketing.cut(from, to)) {
            Instant start = bucket.start().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = bucket.end().atStartOfDay(ZoneOffset.UTC).toInstant();
            long size = 0;
            long entries = 0;
            long exits = 0;
            long members = 0;
            long orders = 0;
            long opens = 0;
            long clicks = 0;
            BigDecimal gross = BigDecimal.ZERO;
            BigDecimal refunded = BigDecimal.ZERO;
            List<Double> daysToFirstOrder = new ArrayList<>();
            long entrants = 0;
            for (var entry : intervals.entrySet()) {
                List<MembershipIntervals.Interval> own = entry.getValue();
                boolean member = own.stream().anyMatch(i -> i.overlaps(start, end));
                // An exit at the bucket's first instant ends no membership inside it, but is one of its exits.
                if (!member) {
                    exits += own.stream().filter(i -> start.equals(i.to())).count();
                    continue;
                }
                members++;
                Instant firstEntry = null;
                for (MembershipIntervals.Interval interval : own) {
                    if (!interval.from().isBefore(start) && interval.from().isBefore(end)) {
                        entries++;
                        firstEntry = firstEntry == null ? interval.from() : firstEntry;
                    }
                    if (interval.to() != null && !interval.to().isBefore(start) && interval.to().isBefore(end)) {
                        exits++;
                    }
                    if (interval.from().isBefore(end) && (interval.to() == null || !interval.to().isBefore(end))) {
                        size++;
                    }
                }
                List<Fact> factsOfMember = factsOf.of(entry.getKey());
                if (firstEntry != null) {
                    entrants++;
                    Instant entered = firstEntry;
                    factsOfMember.stream()
                            .filter(f -> f.kind() == Fact.Kind.ORDER && !f.at().isBefore(entered)
                                    && !f.at().isAfter(entered.plus(window)))
                            .findFirst()
                            .ifPresent(f -> daysToFirstOrder.add(Duration.between(entered, f.at()).toSeconds() / SECONDS_PER_DAY));
                }
                for (Fact fact : factsOfMember) {
                    if (fact.at().isBefore(start) || !fact.at().isBefore(end)
                            || own.stream().noneMatch(i -> i.contains(fact.at()))) {
                        continue;
                    }
                    switch (fact.kind()) {
                        case ORDER -> {
                            orders++;
                            gross = gross.add(fact.amount());
                            refunded = refunded.add(factsOf.refunded(fact));
                        }
                        case EMAIL_OPEN -> opens++;
                        case EMAIL_CLICK -> clicks++;
                        default -> { }
                    }
                }
            }
            BigDecimal net = gross.subtract(refunded);
            long converted = daysToFirstOrder.size();
            result.add(new BucketMetrics(bucket.start(), bucket.end(), size, entries, exits, members, entrants, converted,
                    ratio(converted, entrants), median(daysToFirstOrder), orders, gross, refunded, net,
                    members == 0 ? null : net.divide(BigDecimal.valueOf(members), 2, RoundingMode.HALF_EVEN),
                    orders == 0 ? null : gross.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_EVEN),
                    ratio(orders, members), opens, clicks, ratio(opens, members), ratio(clicks, members)));
        }
        return result;
    }

    private static Double ratio(long count, long of) {
        return of == 0 ? null : (double) count / of;
    }

    /** The median, or null for no values. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
