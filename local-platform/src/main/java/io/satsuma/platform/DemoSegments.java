package io.satsuma.platform;

import java.util.List;
import java.util.Map;

/** The segments the run command defines in the demo workspace. The first one is synced to the demo webhook. */
final class DemoSegments {
    static final List<Map<String, Object>> ALL = List.of(
            Map.of("name", "Ordered in the last 30 days",
                    "description", "At least one Order Completed in the last 30 days",
                    "condition", Map.of("event", "Order Completed", "aggregate", "count", "within", "P30D",
                            "op", "gte", "value", 1)),
            Map.of("name", "Big spenders (90 days)",
                    "description", "More than 1,000 in order revenue over the last 90 days",
                    "condition", Map.of("event", "Order Completed", "aggregate", "sum", "property", "revenue",
                            "within", "P90D", "op", "gt", "value", 1000)),
            Map.of("name", "UK customers",
                    "condition", Map.of("trait", "country", "op", "eq", "value", "United Kingdom")),
            Map.of("name", "Lapsed buyers",
                    "description", "Ordered in the last year, but not in the last 90 days",
                    "condition", Map.of("all", List.of(
                            Map.of("event", "Order Completed", "within", "P365D", "op", "gte", "value", 1),
                            Map.of("not", Map.of("event", "Order Completed", "within", "P90D", "op", "gte", "value", 1))))));

    private DemoSegments() {
    }
}
