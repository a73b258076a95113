package io.satsuma.contracts.event.v1;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the Segment e-commerce spec's properties mean, read the same way by every service that counts orders
 * (profile-service's aggregates, insights-service's revenue): {@code Order Completed} and {@code Order Refunded}
 * with {@code orderId} and a revenue.
 */
public final class EcommerceSpec {
    public static final String ORDER_COMPLETED = "Order Completed";
    public static final String ORDER_REFUNDED = "Order Refunded";

    private EcommerceSpec() {
    }

    /**
     * Revenue of an order (or refund): {@code revenue}, else {@code total}, else the sum of
     * {@code products[].price × quantity}. Non-numeric values count as zero.
     */
    public static BigDecimal revenueOf(Map<String, Object> properties) {
        if (properties == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal revenue = decimal(properties.get("revenue"));
        if (revenue == null) {
            revenue = decimal(properties.get("total"));
        }
        if (revenue == null && properties.get("products") instanceof List<?> products) {
            revenue = BigDecimal.ZERO;
            for (Object product : products) {
                if (product instanceof Map<?, ?> line) {
                    BigDecimal price = decimal(line.get("price"));
                    BigDecimal quantity = decimal(line.get("quantity"));
                    if (price != null) {
                        revenue = revenue.add(price.multiply(quantity == null ? BigDecimal.ONE : quantity));
                    }
                }
            }
        }
        return revenue == null ? BigDecimal.ZERO : revenue;
    }

    /** A JSON number, or a string holding one; else null. */
    public static BigDecimal decimal(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
