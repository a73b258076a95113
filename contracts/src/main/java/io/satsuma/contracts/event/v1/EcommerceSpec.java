package io.satsuma.contracts.event.v1;

import java.math.BigDecimal;
import java.util.ArrayList;
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

    /** The order's id: {@code order_id} (spec v2), else {@code orderId} (v1); null if neither. */
    public static String orderIdOf(Map<String, Object> properties) {
        return text(properties, "order_id", "orderId");
    }

    /**
     * The product lines of an order: each line's product ({@code product_id}, else {@code sku}) and
     * {@code category} (null if absent); lines without a product are left out.
     */
    public static List<ProductLine> productsOf(Map<String, Object> properties) {
        if (properties == null || !(properties.get("products") instanceof List<?> products)) {
            return List.of();
        }
        List<ProductLine> lines = new ArrayList<>();
        for (Object product : products) {
            if (product instanceof Map<?, ?> line) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) line;
                String id = text(fields, "product_id", "sku");
                if (id != null) {
                    lines.add(new ProductLine(id, text(fields, "category")));
                }
            }
        }
        return lines;
    }

    /** One product line of an order. */
    public record ProductLine(String productId, String category) {
    }

    private static String text(Map<String, Object> properties, String... names) {
        if (properties == null) {
            return null;
        }
        for (String name : names) {
            Object value = properties.get(name);
            if (value != null && !value.toString().isBlank()) {
                return value.toString().trim();
            }
        }
        return null;
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
