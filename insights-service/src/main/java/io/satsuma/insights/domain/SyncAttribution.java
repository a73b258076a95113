package io.satsuma.insights.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a sync earned, per bucket, with a window of {@code windowDays} after each delivery:
 * <ul>
 *   <li>by delivery time: <b>deliveries</b> of the sync, <b>profiles reached</b>, of those the ones that ordered within
 *       the window after such a delivery (<b>converted</b>);</li>
 *   <li>by order time: the orders placed within the window after one of the sync's deliveries to the buyer
 *       (<b>orders</b>, net <b>revenue</b>, each order once); and across every sync that reached the buyer in the
 *       window before the order (the <b>touches</b>): <b>last-touch</b> — the order and its revenue go to the sync of
 *       the latest touch — and <b>linear</b> — each touch earns an equal share.</li>
 * </ul>
 * Net revenue is the order's revenue less what was refunded of it (refunds matched by order id).
 */
public final class SyncAttribution {

    public record SyncBucket(LocalDate start, LocalDate end, long deliveries, long profilesReached,
                             long converted, Double conversionRate, long orders, BigDecimal revenue,
                             long lastTouchOrders, BigDecimal lastTouchRevenue, double linearOrders,
                             BigDecimal linearRevenue) {
    }

    private SyncAttribution() {
    }

    /**
     * @param deliveries every sync's deliveries to the profiles this sync reached (repeats allowed)
     * @param facts      those profiles' orders and refunds
     */
    public static List<SyncBucket> compute(String syncId, List<Delivery> deliveries, List<Fact> facts,
                                           LocalDate from, LocalDate to, Bucketing bucketing,
                                           int windowDays) {
        Duration window = Duration.ofDays(windowDays);
        Map<String, Delivery> uniqueDeliveries = new LinkedHashMap<>();
        deliveries.forEach(d -> uniqueDeliveries.putIfAbsent(d.deliveryId(), d));
        Map<String, List<Delivery>> touchesOf = new HashMap<>();
        uniqueDeliveries.values().forEach(d -> touchesOf.computeIfAbsent(d.profileId(), p -> new ArrayList<>()).add(d));
        touchesOf.values().forEach(l -> l.sort(Comparator.comparing(Delivery::at).thenComparing(Delivery::deliveryId)));
        FactIndex factsOf = new FactIndex(facts);

        List<SyncBucket> buckets = new ArrayList<>();
        for (Bucketing.Bucket bucket : bucketing.cut(from, to)) {
            Instant start = bucket.start().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = bucket.end().atStartOfDay(ZoneOffset.UTC).toInstant();
            long sent = 0;
            Set<String> reached = new HashSet<>();
            Set<String> converted = new HashSet<>();
            long orders = 0;
            long lastTouchOrders = 0;
            double linearOrders = 0;
            BigDecimal revenue = BigDecimal.ZERO;
            BigDecimal lastTouchRevenue = BigDecimal.ZERO;
            BigDecimal linearRevenue = BigDecimal.ZERO;
            for (var entry : touchesOf.entrySet()) {
                List<Fact> own = factsOf.of(entry.getKey()).stream().filter(f -> f.kind() == Fact.Kind.ORDER).toList();
                for (Delivery d : entry.getValue()) {
                    if (d.syncId().equals(syncId) && !d.at().isBefore(start) && d.at().isBefore(end)) {
                        sent++;
                        reached.add(d.profileId());
                        if (own.stream().anyMatch(o -> !o.at().isBefore(d.at()) && !o.at().isAfter(d.at().plus(window)))) {
                            converted.add(d.profileId());
                        }
                    }
                }
                for (Fact order : own) {
                    if (order.at().isBefore(start) || !order.at().isBefore(end)) {
                        continue;
                    }
                    List<Delivery> touches = entry.getValue().stream()
                            .filter(d -> !d.at().isAfter(order.at()) && !d.at().isBefore(order.at().minus(window))).toList();
                    long ours = touches.stream().filter(d -> d.syncId().equals(syncId)).count();
                    if (ours == 0) {
                        continue;
                    }
                    BigDecimal net = factsOf.net(order);
                    orders++;
                    revenue = revenue.add(net);
                    if (touches.get(touches.size() - 1).syncId().equals(syncId)) {
                        lastTouchOrders++;
                        lastTouchRevenue = lastTouchRevenue.add(net);
                    }
                    double share = (double) ours / touches.size();
                    linearOrders += share;
                    linearRevenue = linearRevenue.add(net.multiply(BigDecimal.valueOf(ours))
                            .divide(BigDecimal.valueOf(touches.size()), 6, RoundingMode.HALF_EVEN));
                }
            }
            buckets.add(new SyncBucket(bucket.start(), bucket.end(), sent, reached.size(), converted.size(),
                    reached.isEmpty() ? null : (double) converted.size() / reached.size(), orders, revenue,
                    lastTouchOrders, lastTouchRevenue, linearOrders, linearRevenue.setScale(2, RoundingMode.HALF_EVEN)));
        }
        return buckets;
    }
}
