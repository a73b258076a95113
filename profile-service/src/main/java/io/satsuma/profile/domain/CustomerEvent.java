package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.IngestedEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** An event of a profile, as the aggregates need it. */
public record CustomerEvent(String messageId, String type, String name, Instant timestamp,
                            Map<String, Object> properties, Map<String, Object> traits, Map<String, Object> context) {

    public static final String ORDER_COMPLETED = "Order Completed";

    public CustomerEvent {
        properties = properties == null ? Map.of() : properties;
        traits = traits == null ? Map.of() : traits;
        context = context == null ? Map.of() : context;
    }

    /** The event as the aggregates see it; its time as PostgreSQL stores it (microseconds), so refolds agree. */
    public static CustomerEvent of(IngestedEvent event) {
        return new CustomerEvent(event.messageId(), event.type(), event.event(),
                event.timestamp().truncatedTo(ChronoUnit.MICROS), event.properties(), event.traits(), event.context());
    }

    public boolean isOrder() {
        return isTrack(ORDER_COMPLETED);
    }

    public boolean isTrack(String eventName) {
        return "track".equals(type) && eventName.equals(name);
    }
}
