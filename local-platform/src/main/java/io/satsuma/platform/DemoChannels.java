package io.satsuma.platform;

import io.satsuma.sandbox.ChannelSandbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's channels, all in the local channel sandbox: a Meta Custom Audience and a signed webhook mirroring or
 * following recent buyers, a Klaviyo list of UK customers (subscribed to email marketing), and a Twilio SMS to every
 * new recent buyer who agreed to texts. What each vendor received shows at the sandbox's URL.
 */
final class DemoChannels {
    static final String META_AUDIENCE = "120000000000001";
    static final String KLAVIYO_LIST = "DEMO01";
    private static final List<String> AREA_CODES = List.of("202", "212", "312", "415", "617", "718", "305", "206", "303", "512");
    static final String TWILIO_ACCOUNT = "AC" + "5a75a5a75a75a75a75a75a75a75a75a7".substring(0, 32);

    private DemoChannels() {
    }

    /** A demo sync, for the summary. */
    record DemoSync(String name, String syncId) {
    }

    /** Creates the destinations and syncs; {@code recentBuyers} and {@code ukCustomers} are segment ids. */
    static List<DemoSync> setUp(SatsumaHttp http, String activationUrl, String token, ChannelSandbox sandbox,
                                String recentBuyers, String ukCustomers) {
        List<DemoSync> syncs = new ArrayList<>();
        String webhook = destination(http, activationUrl, token, "demo webhook", "webhook",
                Map.of("url", sandbox.baseUrl("webhook") + "/demo-crm"), Map.of());
        syncs.add(new DemoSync("webhook, recent buyers (enter and exit)",
                sync(http, activationUrl, token, recentBuyers, webhook, Map.of("mapping", Map.of("country", "country")))));
        String meta = destination(http, activationUrl, token, "Meta: recent buyers", "meta_custom_audience",
                Map.of("audienceId", META_AUDIENCE, "baseUrl", sandbox.baseUrl("meta")),
                Map.of("accessToken", "EAAB-demo-token-for-the-sandbox"));
        syncs.add(new DemoSync("Meta Custom Audience, recent buyers", sync(http, activationUrl, token, recentBuyers, meta, null)));
        String klaviyo = destination(http, activationUrl, token, "Klaviyo: UK customers", "klaviyo_list",
                Map.of("listId", KLAVIYO_LIST, "baseUrl", sandbox.baseUrl("klaviyo")), Map.of("apiKey", "pk_demo_sandbox_key"));
        syncs.add(new DemoSync("Klaviyo list, UK customers (subscribed)",
                sync(http, activationUrl, token, ukCustomers, klaviyo, Map.of("subscribe", true))));
        String twilio = destination(http, activationUrl, token, "Twilio SMS", "twilio_sms",
                Map.of("accountSid", TWILIO_ACCOUNT, "from", "+15005550006", "baseUrl", sandbox.baseUrl("twilio")),
                Map.of("authToken", "demo-auth-token-for-the-sandbox"));
        syncs.add(new DemoSync("Twilio SMS to new recent buyers", sync(http, activationUrl, token, recentBuyers, twilio,
                Map.of("template", Map.of("body", "Hi {traits.first_name ?: 'there'}, thanks for your order! "
                        + "Here is 10% off your next one: SATSUMA10")))));
        return syncs;
    }

    private static String destination(SatsumaHttp http, String url, String token, String name, String type,
                                      Map<String, String> config, Map<String, String> secrets) {
        return http.create(url + "/v1/destinations", token, Map.of("name", name, "type", type, "config", config,
                "secrets", secrets)).path("id").asText();
    }

    private static String sync(SatsumaHttp http, String url, String token, String segmentId, String destinationId,
                               Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("segmentId", segmentId, "destinationId", destinationId));
        if (settings != null) {
            body.put("settings", settings);
        }
        return http.create(url + "/v1/syncs", token, body).path("id").asText();
    }

    /**
     * The Online Retail dataset has no contact points: each demo customer gets a phone number from the North American
     * range kept for fiction ({@code +1 NPA 555-01xx}, valid to libphonenumber, reaching nobody) and consent (email and
     * ads for all, SMS for every other one), so the channels have someone to reach. Applied to the demo's identify
     * calls only.
     */
    static List<Map<String, Object>> withDemoContactPoints(List<Map<String, Object>> messages) {
        List<Map<String, Object>> enriched = new ArrayList<>(messages.size());
        int customer = 0;
        for (Map<String, Object> message : messages) {
            if (!"identify".equals(message.get("type"))) {
                enriched.add(message);
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> traits = new LinkedHashMap<>((Map<String, Object>) message.get("traits"));
            traits.put("phone", "+1" + AREA_CODES.get(customer / 100 % AREA_CODES.size()) + String.format("55501%02d", customer % 100));
            traits.put("consent", Map.of("email", true, "ads", true, "sms", customer % 2 == 0));
            Map<String, Object> identify = new LinkedHashMap<>(message);
            identify.put("traits", traits);
            enriched.add(identify);
            customer++;
        }
        return enriched;
    }
}
