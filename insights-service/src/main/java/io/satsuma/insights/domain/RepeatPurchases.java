package io.satsuma.insights.domain;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One-off or recurring: per product (or category), who bought it on how many distinct UTC days. A <b>repeat
 * buyer</b> bought it on at least two days; the <b>repeat rate</b> is repeat buyers / buyers; the <b>median days
 * between purchases</b> is the median of the gaps between a repeat buyer's consecutive purchase days, over all repeat
 * buyers. An item is {@code RECURRING} when it has at least {@code minBuyers} buyers and a repeat rate of at least
 * {@code recurringRate}, {@code ONE_OFF} when it has the buyers but not the rate, {@code TOO_FEW_BUYERS} otherwise.
 */
public final class RepeatPurchases {

    public enum By { PRODUCT, CATEGORY }

    public enum Kind { RECURRING, ONE_OFF, TOO_FEW_BUYERS }

    public record Item(String key, long buyers, long repeatBuyers, double repeatRate, Double medianDaysBetween,
                       Kind kind) {
    }

    private RepeatPurchases() {
    }

    /** The items bought in the lines, most buyers first (then by key). */
    public static List<Item> of(List<OrderLine> lines, By by, int minBuyers, double recurringRate) {
        Function<OrderLine, String> keyOf = by == By.PRODUCT ? OrderLine::productId : OrderLine::category;
        Map<String, Map<String, TreeSet<LocalDate>>> daysByBuyerByItem = new HashMap<>();
        for (OrderLine line : lines) {
            String key = keyOf.apply(line);
            if (key != null) {
                daysByBuyerByItem.computeIfAbsent(key, k -> new HashMap<>())
                        .computeIfAbsent(line.profileId(), p -> new TreeSet<>())
                        .add(LocalDate.ofInstant(line.at(), ZoneOffset.UTC));
            }
        }
        List<Item> items = new ArrayList<>();
        daysByBuyerByItem.forEach((key, daysByBuyer) -> {
            long repeat = 0;
            List<Double> gaps = new ArrayList<>();
            for (TreeSet<LocalDate> days : daysByBuyer.values()) {
                if (days.size() > 1) {
                    repeat++;
                    LocalDate previous = null;
                    for (LocalDate day : days) {
                        if (previous != null) {
                            gaps.add((double) ChronoUnit.DAYS.between(previous, day));
                        }
                        previous = day;
                    }
                }
            }
            long buyers = daysByBuyer.size();
            double rate = (double) repeat / buyers;
            Kind kind = buyers < minBuyers ? Kind.TOO_FEW_BUYERS : rate >= recurringRate ? Kind.RECURRING : Kind.ONE_OFF;
            items.add(new Item(key, buyers, repeat, rate, SegmentMetrics.median(gaps), kind));
        });
        items.sort(Comparator.comparingLong(Item::buyers).reversed().thenComparing(Item::key));
        return items;
    }
}
