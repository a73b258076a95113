package io.satsuma.insights.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.ProfileEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RepeatPurchasesTest {

    @Test
    void everyItemEqualsTheBruteForceCountOnRandomOrderLines() {
        Random random = new Random(17);
        for (int run = 0; run < 100; run++) {
            List<OrderLine> lines = new ArrayList<>();
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = random.nextInt(300); i > 0; i--) {
                int product = random.nextInt(12);
                lines.add(new OrderLine("e" + i, 0, "p" + random.nextInt(25), "sku" + product,
                        product % 4 == 3 ? null : "c" + product % 4, start.plusSeconds(random.nextInt(200 * 86_400))));
            }
            RepeatPurchases.By by = random.nextBoolean() ? RepeatPurchases.By.PRODUCT : RepeatPurchases.By.CATEGORY;
            int minBuyers = 1 + random.nextInt(8);

            List<RepeatPurchases.Item> items = RepeatPurchases.of(lines, by, minBuyers, 0.3);

            Set<String> keys = new TreeSet<>();
            lines.stream().map(l -> by == RepeatPurchases.By.PRODUCT ? l.productId() : l.category())
                    .filter(key -> key != null).forEach(keys::add);
            assertThat(items).extracting(RepeatPurchases.Item::key).containsExactlyInAnyOrderElementsOf(keys);
            for (RepeatPurchases.Item item : items) {
                Map<String, Set<String>> days = new HashMap<>();
                for (OrderLine l : lines) {
                    if (item.key().equals(by == RepeatPurchases.By.PRODUCT ? l.productId() : l.category())) {
                        days.computeIfAbsent(l.profileId(), p -> new HashSet<>()).add(l.at().toString().substring(0, 10));
                    }
                }
                long repeat = days.values().stream().filter(d -> d.size() > 1).count();
                List<Double> gaps = new ArrayList<>();
                days.values().stream().filter(d -> d.size() > 1).forEach(d -> {
                    List<String> sorted = new ArrayList<>(new TreeSet<>(d));
                    for (int i = 1; i < sorted.size(); i++) {
                        gaps.add((double) LocalDate.parse(sorted.get(i - 1)).until(
                                LocalDate.parse(sorted.get(i)), ChronoUnit.DAYS));
                    }
                });
                gaps.sort(Double::compareTo);
                Double median = gaps.isEmpty() ? null : gaps.size() % 2 == 1 ? gaps.get(gaps.size() / 2)
                        : (gaps.get(gaps.size() / 2 - 1) + gaps.get(gaps.size() / 2)) / 2;
                assertThat(item.buyers()).as("run %d %s", run, item.key()).isEqualTo(days.size());
                assertThat(item.repeatBuyers()).as("run %d %s", run, item.key()).isEqualTo(repeat);
                assertThat(item.medianDaysBetween()).as("run %d %s", run, item.key()).isEqualTo(median);
                RepeatPurchases.Kind kind = days.size() < minBuyers ? RepeatPurchases.Kind.TOO_FEW_BUYERS
                        : (double) repeat / days.size() >= 0.3 ? RepeatPurchases.Kind.RECURRING : RepeatPurchases.Kind.ONE_OFF;
                assertThat(item.kind()).as("run %d %s", run, item.key()).isEqualTo(kind);
            }
        }
    }

    @Test
    void anOrdersLinesNameTheirProductBySpecV2IdOrSkuAndTheirCategory() {
        ProfileEvent order = new ProfileEvent("e1", "p1", "track", "Order Completed", Map.of("order_id", "o-1",
                "revenue", 30, "products", List.of(Map.of("product_id", "coffee", "category", "Drinks"),
                        Map.of("sku", "85123A", "name", "Heart holder"), Map.of("name", "no id"))),
                Instant.parse("2026-02-01T10:00:00Z"));
        Fact fact = Fact.of(order);

        assertThat(fact.orderId()).isEqualTo("o-1");
        assertThat(fact.amount()).isEqualByComparingTo(new BigDecimal("30"));
        assertThat(OrderLine.of(fact, order.properties())).containsExactly(
                new OrderLine("e1", 0, "p1", "coffee", "Drinks", order.timestamp()),
                new OrderLine("e1", 1, "p1", "85123A", null, order.timestamp()));
    }
}
