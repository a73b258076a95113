package io.satsuma.profile.domain;

import java.time.Instant;
import java.util.Map;

/** An event of a profile, as the aggregates need it. */
public record CustomerEvent(String messageId, String type, String name, Instant timestamp,
                            Map<String, Object> properties) {

    public static final String ORDER_COMPLETED = "Order Completed";

    public boolean isOrder() {
        return "track".equals(type) && ORDER_COMPLETED.equals(name);
    }
}
