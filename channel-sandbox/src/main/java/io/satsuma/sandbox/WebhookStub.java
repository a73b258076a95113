package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver at {@code /webhook/...}: requires Satsuma's delivery, timestamp and signature headers and a JSON
 * body, keeps each delivery, and counts deliveries per id (a duplicate shows as a count above one).
 */
public final class WebhookStub extends VendorStub {
    private final List<JsonNode> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> perDelivery = new ConcurrentHashMap<>();

    WebhookStub(ObjectMapper json, Clock clock) {
        super("webhook", json, clock);
    }

    public List<JsonNode> deliveries() {
        return List.copyOf(deliveries);
    }

    /** How many times a delivery id arrived. */
    public int times(String deliveryId) {
        return perDelivery.getOrDefault(deliveryId, 0);
    }

    @Override
    public Object state() {
        return Map.of("deliveries", deliveries.size(), "distinct", perDelivery.size());
    }

    @Override
    protected void clearState() {
        deliveries.clear();
        perDelivery.clear();
    }

    @Override
    protected Reply unauthorized() {
        return Reply.empty(401);
    }

    @Override
    protected Reply handle(Call call) {
        if (!call.method.equals("POST")) {
            call.violation("webhook: only POST");
        }
        for (String header : List.of("X-Satsuma-Delivery", "X-Satsuma-Timestamp", "X-Satsuma-Signature")) {
            if (call.header(header) == null) {
                call.violation("webhook: no " + header + " header");
            }
        }
        JsonNode body = readJson(call);
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        deliveries.add(body);
        perDelivery.merge(call.header("X-Satsuma-Delivery"), 1, Integer::sum);
        return Reply.empty(204);
    }
}
