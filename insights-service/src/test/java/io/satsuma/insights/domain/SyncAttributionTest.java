package io.satsuma.insights.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncAttributionTest {

    @Test
    void everyFigureEqualsTheBruteForceComputationOnRandomDeliveriesAndOrders() {
        Random random = new Random(3);
        int sharedWithOthers = 0;
        int lastTouches = 0;
        for (int run = 0; run < 80; run++) {
            LocalDate from = LocalDate.of(2026, 5, 1).plusDays(random.nextInt(30));
            LocalDate to = from.plusDays(3 + random.nextInt(40));
            Instant earliest = from.minusDays(12).atStartOfDay(ZoneOffset.UTC).toInstant();
            long span = Duration.between(earliest, to.plusDays(12).atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds();
            List<Delivery> deliveries = new ArrayList<>();
            List<Fact> facts = new ArrayList<>();
            for (int p = 0; p < 5 + random.nextInt(25); p++) {
                for (int d = random.nextInt(12); d > 0; d--) {
                    deliveries.add(new Delivery("d" + p + "-" + d, "s" + random.nextInt(3), "p" + p,
                            earliest.plusSeconds(random.nextLong(span))));
                }
                for (int o = random.nextInt(5); o > 0; o--) {
                    String order = "o" + p + "-" + o;
                    BigDecimal amount = BigDecimal.valueOf(random.nextInt(30_000), 2);
                    Instant at = earliest.plusSeconds(random.nextLong(span));
                    facts.add(new Fact(order, "p" + p, Fact.Kind.ORDER, order, amount, at));
                    if (random.nextInt(4) == 0) {
                        facts.add(new Fact("r" + order, "p" + p, Fact.Kind.REFUND, order,
                                amount.divide(BigDecimal.valueOf(2)), at.plusSeconds(3_600)));
                    }
                }
            }
            Bucketing bucketing = Bucketing.values()[random.nextInt(3)];
            int window = 1 + random.nextInt(14);
            List<Delivery> delivered = new ArrayList<>(deliveries);
            delivered.addAll(deliveries.subList(0, deliveries.size() / 3)); // repeats
            Collections.shuffle(delivered, random);

            List<SyncAttribution.SyncBucket> actual = SyncAttribution.compute("s0", delivered, facts, from, to, bucketing, window);

            List<LocalDate[]> buckets = new ArrayList<>();
            bucketing.cut(from, to).forEach(b -> buckets.add(new LocalDate[] {b.start(), b.end()}));
            assertThat(actual).hasSameSizeAs(buckets);
            for (int i = 0; i < buckets.size(); i++) {
                Instant s = buckets.get(i)[0].atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant e = buckets.get(i)[1].atStartOfDay(ZoneOffset.UTC).toInstant();
                long sent = 0;
                Set<String> reached = new HashSet<>();
                Set<String> converted = new HashSet<>();
                for (Delivery d : deliveries) {
                    if (d.syncId().equals("s0") && !d.at().isBefore(s) && d.at().isBefore(e)) {
                        sent++;
                        reached.add(d.profileId());
                        for (Fact o : facts) {
                            if (o.kind() == Fact.Kind.ORDER && o.profileId().equals(d.profileId()) && !o.at().isBefore(d.at())
                                    && !o.at().isAfter(d.at().plus(Duration.ofDays(window)))) {
                                converted.add(d.profileId());
                            }
                        }
                    }
                }
                long orders = 0;
                long lastTouch = 0;
                double linear = 0;
                double revenue = 0;
                double lastTouchRevenue = 0;
                double linearRevenue = 0;
                for (Fact o : facts) {
                    if (o.kind() != Fact.Kind.ORDER || o.at().isBefore(s) || !o.at().isBefore(e)) {
                        continue;
                    }
                    double net = o.amount().doubleValue();
                    for (Fact r : facts) {
                        if (r.kind() == Fact.Kind.REFUND && r.orderId().equals(o.orderId())) {
                            net -= r.amount().doubleValue();
                        }
                    }
                    Delivery latest = null;
                    int touches = 0;
                    int ours = 0;
                    for (Delivery d : deliveries) {
                        if (d.profileId().equals(o.profileId()) && !d.at().isAfter(o.at())
                                && !d.at().isBefore(o.at().minus(Duration.ofDays(window)))) {
                            touches++;
                            ours += d.syncId().equals("s0") ? 1 : 0;
                            if (latest == null || d.at().isAfter(latest.at())
                                    || (d.at().equals(latest.at()) && d.deliveryId().compareTo(latest.deliveryId()) > 0)) {
                                latest = d;
                            }
                        }
                    }
                    if (ours > 0) {
                        orders++;
                        revenue += net;
                        linear += (double) ours / touches;
                        linearRevenue += net * ours / touches;
                        if (latest.syncId().equals("s0")) {
                            lastTouch++;
                            lastTouchRevenue += net;
                        }
                    }
                }
                SyncAttribution.SyncBucket b = actual.get(i);
                String where = "run " + run + ", bucket " + buckets.get(i)[0];
                assertThat(b.deliveries()).as(where).isEqualTo(sent);
                assertThat(b.profilesReached()).as(where).isEqualTo(reached.size());
                assertThat(b.converted()).as(where).isEqualTo(converted.size());
                assertThat(b.orders()).as(where).isEqualTo(orders);
                assertThat(b.revenue().doubleValue()).as(where).isCloseTo(revenue, within(1e-6));
                assertThat(b.lastTouchOrders()).as(where).isEqualTo(lastTouch);
                assertThat(b.lastTouchRevenue().doubleValue()).as(where).isCloseTo(lastTouchRevenue, within(1e-6));
                assertThat(b.linearOrders()).as(where).isCloseTo(linear, within(1e-9));
                assertThat(b.linearRevenue().doubleValue()).as(where).isCloseTo(linearRevenue, within(0.011));
                sharedWithOthers += orders > lastTouch ? 1 : 0;
                lastTouches += lastTouch > 0 ? 1 : 0;
            }
        }
        assertThat(sharedWithOthers).as("buckets where another sync took a last touch").isGreaterThan(20);
        assertThat(lastTouches).as("buckets where this sync took a last touch").isGreaterThan(20);
    }
}
