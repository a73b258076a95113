package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.EcommerceSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.ProfileAggregates.Consent;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AggregatesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void neighboursCombineTheStoredOnesWithEventsNotStoredYet() {
        Aggregates.Neighbours stored = new Aggregates.Neighbours(T0.minusSeconds(600), T0.plusSeconds(600));
        TreeSet<Instant> poll = new TreeSet<>(List.of(T0.minusSeconds(60), T0.plusSeconds(1200)));

        assertThat(stored.with(poll, T0)).isEqualTo(new Aggregates.Neighbours(T0.minusSeconds(60), T0.plusSeconds(600)));
        assertThat(Aggregates.Neighbours.NONE.with(poll, T0)).isEqualTo(
                new Aggregates.Neighbours(T0.minusSeconds(60), T0.plusSeconds(1200)));
        assertThat(stored.with(new TreeSet<>(), T0)).isEqualTo(stored);
    }

    @Test
    void ordersCountRevenueAverageAndTheirTimes() {
        ProfileAggregates a = Aggregates.fold(List.of(
                track("Product Viewed", T0, Map.of()),
                track("Order Completed", T0.plusSeconds(10), Map.of("revenue", 20.5, "coupon", "SPRING")),
                track("Order Completed", T0.plusSeconds(20), Map.of("total", "9.5")),
                track("Order Refunded", T0.plusSeconds(30), Map.of("total", 9.5))));

        assertThat(a.eventCount()).isEqualTo(4);
        assertThat(a.orderCount()).isEqualTo(2);
        assertThat(a.totalRevenue()).isEqualByComparingTo("30.0");
        assertThat(a.averageOrderValue()).isEqualByComparingTo("15.00");
        assertThat(a.firstOrderAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(a.lastOrderAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(a.discountedOrderCount()).isEqualTo(1);
        assertThat(a.discountShare()).isEqualByComparingTo("0.5");
        assertThat(a.refundCount()).isEqualTo(1);
        assertThat(a.refundedAmount()).isEqualByComparingTo("9.5");
        assertThat(a.firstSeenAt()).isEqualTo(T0);
        assertThat(a.lastSeenAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void revenueFallsBackToProductLines() {
        assertThat(EcommerceSpec.revenueOf(Map.of("products", List.of(
                Map.of("price", 2.5, "quantity", 4), Map.of("price", 1))))).isEqualByComparingTo("11");
        assertThat(EcommerceSpec.revenueOf(Map.of("revenue", "not a number"))).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void visitsAreRunsWithoutAThirtyMinuteGap() {
        ProfileAggregates a = Aggregates.fold(List.of(
                page(T0), page(T0.plusSeconds(29 * 60)), page(T0.plusSeconds(58 * 60)),
                page(T0.plusSeconds(58 * 60 + 30 * 60 + 1)), page(T0.plusSeconds(5 * 3600))));

        assertThat(a.visitCount()).isEqualTo(3);
        assertThat(a.pageViewCount()).isEqualTo(5);
    }

    @Test
    void aLateEventBetweenTwoVisitsCanJoinThem() {
        ProfileAggregates twoVisits = Aggregates.fold(List.of(page(T0), page(T0.plusSeconds(50 * 60))));
        ProfileAggregates joined = Aggregates.apply(twoVisits, page(T0.plusSeconds(25 * 60)),
                new Aggregates.Neighbours(T0, T0.plusSeconds(50 * 60)));

        assertThat(twoVisits.visitCount()).isEqualTo(2);
        assertThat(joined.visitCount()).isEqualTo(1);
    }

    @Test
    void productViewsPerCategoryAndBrandAndTheOpenCart() {
        ProfileAggregates a = Aggregates.fold(List.of(
                track("Product Viewed", T0, Map.of("category", "Shoes", "brand", "Acme")),
                track("Product Viewed", T0.plusSeconds(1), Map.of("category", "Shoes")),
                track("Product Added", T0.plusSeconds(2), Map.of("product_id", "p1")),
                track("Order Completed", T0.plusSeconds(3), Map.of("revenue", 10)),
                track("Product Added", T0.plusSeconds(4), Map.of("product_id", "p2"))));

        assertThat(a.productViewCount()).isEqualTo(2);
        assertThat(a.categoryViews()).isEqualTo(Map.of("Shoes", 2L));
        assertThat(a.brandViews()).isEqualTo(Map.of("Acme", 1L));
        assertThat(a.cartAddCount()).isEqualTo(2);
        assertThat(a.cartOpen()).isTrue();
        assertThat(Aggregates.fold(List.of(track("Product Added", T0, Map.of()),
                track("Order Completed", T0.plusSeconds(1), Map.of()))).cartOpen()).isFalse();
    }

    @Test
    void devicesLocationAndEmailEngagementComeFromContextAndEmailEvents() {
        CustomerEvent phone = new CustomerEvent("m1", "screen", "Home", T0, Map.of(), Map.of(),
                Map.of("device", Map.of("type", "ios"), "location", Map.of("country", "NL", "city", "Utrecht")));
        CustomerEvent browser = new CustomerEvent("m2", "page", null, T0.plusSeconds(60), Map.of(), Map.of(),
                Map.of("userAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "location", Map.of("country", "BE")));
        ProfileAggregates a = Aggregates.fold(List.of(browser, phone, track("Email Opened", T0, Map.of()),
                track("Email Link Clicked", T0, Map.of())));

        assertThat(a.deviceTypes()).isEqualTo(Map.of("ios", 1L, "desktop", 1L));
        assertThat(a.location().country()).isEqualTo("BE");
        assertThat(a.location().city()).isNull();
        assertThat(a.screenViewCount()).isEqualTo(1);
        assertThat(a.emailOpenCount()).isEqualTo(1);
        assertThat(a.emailClickCount()).isEqualTo(1);
    }

    @Test
    void consentPerChannelIsTheLatestDecisionFromAnySource() {
        ProfileAggregates a = Aggregates.fold(List.of(
                identify(T0, Map.of("consent", Map.of("email", true, "sms", true, "fax", true))),
                track("Email Unsubscribed", T0.plusSeconds(10), Map.of()),
                track("Consent Updated", T0.plusSeconds(20), Map.of("channel", "push", "granted", true)),
                new CustomerEvent("c", "track", "Product Viewed", T0.plusSeconds(30), Map.of(), Map.of(),
                        Map.of("consent", Map.of("categoryPreferences", Map.of("Advertising", false))))));

        assertThat(a.consent()).containsOnlyKeys("email", "sms", "push", "ads");
        assertThat(a.consent().get("email")).isEqualTo(new Consent(false, T0.plusSeconds(10)));
        assertThat(a.consent().get("sms")).isEqualTo(new Consent(true, T0));
        assertThat(a.consent().get("push")).isEqualTo(new Consent(true, T0.plusSeconds(20)));
        assertThat(a.consent().get("ads")).isEqualTo(new Consent(false, T0.plusSeconds(30)));
    }

    @Test
    void aTieBetweenConsentDecisionsDenies() {
        List<CustomerEvent> tie = List.of(
                track("Consent Updated", T0, Map.of("email", true)),
                track("Email Unsubscribed", T0, Map.of()));

        assertThat(Aggregates.fold(tie).consent().get("email").granted()).isFalse();
        assertThat(Aggregates.fold(List.of(tie.get(1), tie.get(0))).consent().get("email").granted()).isFalse();
    }

    /**
     * The incremental path (each event applied in arrival order with its neighbours among the events
     * already applied, as RecordEvent does) equals the full recomputation, for every aggregate, whatever
     * the arrival order; visits and consent also match a brute-force reading of the whole history.
     */
    @Test
    void incrementalAndFullRecomputationAgreeWhateverTheArrivalOrder() {
        Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            List<CustomerEvent> events = randomHistory(random);
            Collections.shuffle(events, random);

            ProfileAggregates incremental = Aggregates.empty();
            TreeSet<Instant> seen = new TreeSet<>();
            for (CustomerEvent e : events) {
                Aggregates.Neighbours around = new Aggregates.Neighbours(seen.floor(e.timestamp()),
                        seen.higher(e.timestamp()));
                incremental = Aggregates.apply(incremental, e, around);
                seen.add(e.timestamp());
            }
            ProfileAggregates full = Aggregates.fold(events);

            assertThat(incremental).as("run %d", run).isEqualTo(full);
            assertThat(full.visitCount()).as("run %d", run).isEqualTo(visitsByBruteForce(events));
            assertThat(full.consent()).as("run %d", run).isEqualTo(consentByBruteForce(events));
            assertThat(usableTokens(full)).as("run %d", run).isEqualTo(usableTokensByBruteForce(events));
        }
    }

    private static List<CustomerEvent> randomHistory(Random random) {
        String[] names = {"Order Completed", "Product Viewed", "Product Added", "Order Refunded", "Email Opened",
                "Email Unsubscribed", "Consent Updated", "Push Token Invalidated"};
        List<CustomerEvent> events = new ArrayList<>();
        int size = random.nextInt(25);
        for (int i = 0; i < size; i++) {
            // Minutes, so that ties and gaps around 30 minutes are both common.
            Instant at = T0.plus(Duration.ofMinutes(random.nextInt(240)));
            Map<String, Object> context = new HashMap<>();
            if (random.nextInt(3) == 0) {
                context.put("location", Map.of("country", random.nextBoolean() ? "NL" : "DE"));
            }
            if (random.nextInt(3) == 0) {
                Map<String, Object> device = new HashMap<>(Map.of("type", random.nextBoolean() ? "ios" : "android"));
                if (random.nextBoolean()) {
                    device.put("token", "token-" + random.nextInt(3));
                }
                context.put("device", device);
            }
            int kind = random.nextInt(names.length + 2);
            if (kind == names.length) {
                events.add(new CustomerEvent("m" + i, "page", null, at, Map.of(), Map.of(), context));
            } else if (kind == names.length + 1) {
                events.add(new CustomerEvent("m" + i, "identify", null, at, Map.of(),
                        Map.of("consent", Map.of("email", random.nextBoolean())), context));
            } else {
                Map<String, Object> properties = new HashMap<>();
                properties.put("revenue", random.nextInt(10_000) / 100.0);
                properties.put("category", random.nextBoolean() ? "Shoes" : "Bags");
                properties.put("discount", random.nextInt(3));
                properties.put("email", random.nextBoolean());
                properties.put("token", "token-" + random.nextInt(3));
                events.add(new CustomerEvent("m" + i, "track", names[kind], at, properties, Map.of(), context));
            }
        }
        return events;
    }

    private static Set<String> usableTokens(ProfileAggregates aggregates) {
        Set<String> usable = new TreeSet<>();
        aggregates.pushTokens().forEach((token, t) -> {
            if (t.usable()) {
                usable.add(token);
            }
        });
        return usable;
    }

    /** A token is usable if some event showed it strictly after the last report that it is dead. */
    private static Set<String> usableTokensByBruteForce(List<CustomerEvent> events) {
        Set<String> usable = new TreeSet<>();
        for (CustomerEvent seen : events) {
            if (seen.context().get("device") instanceof Map<?, ?> device && device.get("token") instanceof String token) {
                boolean deadAfter = events.stream().anyMatch(e -> e.isTrack("Push Token Invalidated")
                        && token.equals(e.properties().get("token")) && !e.timestamp().isBefore(seen.timestamp()));
                if (!deadAfter) {
                    usable.add(token);
                }
            }
        }
        return usable;
    }

    private static long visitsByBruteForce(List<CustomerEvent> events) {
        List<Instant> times = events.stream().map(CustomerEvent::timestamp).sorted().toList();
        long visits = times.isEmpty() ? 0 : 1;
        for (int i = 1; i < times.size(); i++) {
            if (Duration.between(times.get(i - 1), times.get(i)).compareTo(Duration.ofMinutes(30)) > 0) {
                visits++;
            }
        }
        return visits;
    }

    /** Email consent only (the random histories decide no other channel): latest decision, a tie denies. */
    private static Map<String, Consent> consentByBruteForce(List<CustomerEvent> events) {
        Instant latest = null;
        boolean granted = true;
        for (CustomerEvent e : events) {
            Boolean decision = null;
            if ("identify".equals(e.type())) {
                decision = (Boolean) ((Map<?, ?>) e.traits().get("consent")).get("email");
            } else if (e.isTrack("Email Unsubscribed")) {
                decision = false;
            } else if (e.isTrack("Consent Updated")) {
                decision = (Boolean) e.properties().get("email");
            }
            if (decision == null) {
                continue;
            }
            if (latest == null || e.timestamp().isAfter(latest)) {
                latest = e.timestamp();
                granted = decision;
            } else if (e.timestamp().equals(latest)) {
                granted = granted && decision;
            }
        }
        return latest == null ? Map.of() : Map.of("email", new Consent(granted, latest));
    }

    private static CustomerEvent track(String name, Instant at, Map<String, Object> properties) {
        return new CustomerEvent(name + at, "track", name, at, properties, Map.of(), Map.of());
    }

    private static CustomerEvent page(Instant at) {
        return new CustomerEvent("page" + at, "page", null, at, Map.of(), Map.of(), Map.of());
    }

    private static CustomerEvent identify(Instant at, Map<String, Object> traits) {
        return new CustomerEvent("identify" + at, "identify", null, at, Map.of(), traits, Map.of());
    }
}
