package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.ProfileAggregates;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregatesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void ordersCountRevenueAndTheirLastTime() {
        ProfileAggregates a = Aggregates.fold(List.of(
                event("Product Viewed", T0, Map.of()),
                event("Order Completed", T0.plusSeconds(10), Map.of("revenue", 20.5)),
                event("Order Completed", T0.plusSeconds(20), Map.of("total", "9.5"))));

        assertThat(a.eventCount()).isEqualTo(3);
        assertThat(a.orderCount()).isEqualTo(2);
        assertThat(a.totalRevenue()).isEqualByComparingTo("30.0");
        assertThat(a.firstSeenAt()).isEqualTo(T0);
        assertThat(a.lastSeenAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(a.lastOrderAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void revenueFallsBackToProductLines() {
        assertThat(Aggregates.revenueOf(Map.of("products", List.of(
                Map.of("price", 2.5, "quantity", 4), Map.of("price", 1))))).isEqualByComparingTo("11");
        assertThat(Aggregates.revenueOf(Map.of("revenue", "not a number"))).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void incrementalAndFullRecomputationAgreeWhateverTheArrivalOrder() {
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            List<CustomerEvent> events = new ArrayList<>();
            for (int i = 0; i < random.nextInt(20); i++) {
                boolean order = random.nextBoolean();
                events.add(event(order ? "Order Completed" : "Page Viewed", T0.plusSeconds(random.nextInt(100_000)),
                        order ? Map.of("revenue", random.nextInt(10_000) / 100.0) : Map.of()));
            }
            Collections.shuffle(events, random);
            ProfileAggregates incremental = Aggregates.empty();
            for (CustomerEvent e : events) {
                incremental = Aggregates.apply(incremental, e);
            }
            ProfileAggregates full = Aggregates.fold(events);

            assertThat(incremental.eventCount()).isEqualTo(full.eventCount());
            assertThat(incremental.orderCount()).isEqualTo(full.orderCount());
            assertThat(incremental.totalRevenue()).isEqualByComparingTo(full.totalRevenue());
            assertThat(incremental.firstSeenAt()).isEqualTo(full.firstSeenAt());
            assertThat(incremental.lastSeenAt()).isEqualTo(full.lastSeenAt());
            assertThat(incremental.lastOrderAt()).isEqualTo(full.lastOrderAt());
        }
    }

    private static CustomerEvent event(String name, Instant at, Map<String, Object> properties) {
        return new CustomerEvent(name + at, "track", name, at, properties);
    }
}
