package io.satsuma.insights.domain;

import io.satsuma.contracts.event.v1.EcommerceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A product bought: one line of an order (its event, position, buyer, product, category and time). */
public record OrderLine(String eventId, int line, String profileId, String productId, String category, Instant at) {

    /** The lines of an order fact's event. */
    public static List<OrderLine> of(Fact order, Map<String, Object> properties) {
        List<OrderLine> lines = new ArrayList<>();
        List<EcommerceSpec.ProductLine> products = EcommerceSpec.productsOf(properties);
        for (int i = 0; i < products.size(); i++) {
            lines.add(new OrderLine(order.eventId(), i, order.profileId(), products.get(i).productId(),
                    products.get(i).category(), order.at()));
        }
        return lines;
    }
}
