package io.satsuma.predictive;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a customer's purchases into what the models read ({@link Customer}), as the papers do: purchases on the
 * same day are one purchase (their values added), the first purchase is the customer's birth and not a repeat,
 * and time is counted in days divided by the length of the unit (7 for weeks).
 */
public final class Purchases {
    private Purchases() {
    }

    /** One purchase: its day and value. */
    public record Purchase(LocalDate day, double value) {
    }

    /** The customer as of the end of {@code end} (purchases after it are ignored); null if none was made by then. */
    public static Customer summarise(List<Purchase> purchases, LocalDate end, double daysPerUnit) {
        TreeMap<LocalDate, Double> byDay = new TreeMap<>();
        for (Purchase purchase : purchases) {
            if (!purchase.day().isAfter(end)) {
                byDay.merge(purchase.day(), purchase.value(), Double::sum);
            }
        }
        if (byDay.isEmpty()) {
            return null;
        }
        LocalDate first = byDay.firstKey();
        int x = byDay.size() - 1;
        double repeatValue = 0;
        for (Map.Entry<LocalDate, Double> day : byDay.tailMap(first, false).entrySet()) {
            repeatValue += day.getValue();
        }
        return new Customer(x, ChronoUnit.DAYS.between(first, byDay.lastKey()) / daysPerUnit,
                ChronoUnit.DAYS.between(first, end) / daysPerUnit, x == 0 ? 0 : repeatValue / x);
    }
}
