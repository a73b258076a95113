package io.satsuma.insights.domain;

import io.satsuma.contracts.event.v1.EcommerceSpec;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What insights count of a profile's events, in event time: orders and refunds (with their order id and revenue per
 * the e-commerce spec) and email opens and clicks. Kept with the profile the event was attributed to — the profile
 * whose memberships segment-service evaluated at that time.
 */
public record Fact(String eventId, String profileId, Kind kind, String orderId, BigDecimal amount, Instant at) {

    public enum Kind { ORDER, REFUND, EMAIL_OPEN, EMAIL_CLICK }

    /** The fact an attributed event is, or null for events insights do not count. */
    public static Fact of(ProfileEvent event) {
        if (!"track".equals(event.type()) || event.event() == null) {
            return null;
        }
        Kind kind = switch (event.event()) {
            case EcommerceSpec.ORDER_COMPLETED -> Kind.ORDER;
            case EcommerceSpec.ORDER_REFUNDED -> Kind.REFUND;
            case "Email Opened" -> Kind.EMAIL_OPEN;
            case "Email Link Clicked" -> Kind.EMAIL_CLICK;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        boolean money = kind == Kind.ORDER || kind == Kind.REFUND;
        return new Fact(event.eventId(), event.profileId(), kind, EcommerceSpec.orderIdOf(event.properties()),
                money ? EcommerceSpec.revenueOf(event.properties()) : BigDecimal.ZERO, event.timestamp());
    }
}
