package io.satsuma.activation.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.activation.domain.AudienceConnector;
import io.satsuma.activation.domain.AudienceMember;
import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.LedgerEntry;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.Target;
import io.satsuma.activation.domain.UploadSession;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Klaviyo lists (API revision 2026-07-15): profiles are imported into the list with a bulk import job (≤ 10,000);
 * removal finds the Klaviyo ids by {@code external_id} (the Satsuma profile id, 100 per page) and deletes the list
 * relationships; with {@code subscribe} on, added people are subscribed to email marketing with a subscription job
 * (≤ 1,000) and people who revoked email consent are unsubscribed.
 */
@ApplicationScoped
class KlaviyoLists implements AudienceConnector {
    static final String REVISION = "2026-07-15";
    private static final String JSON_API = "application/vnd.api+json";
    private static final int LOOKUP_PAGE = 100;
    private static final int SUBSCRIPTION_BATCH = 1_000;
    private final ChannelHttp http;

    KlaviyoLists(ChannelHttp http) {
        this.http = http;
    }

    @Override
    public DestinationType type() {
        return DestinationType.KLAVIYO_LIST;
    }

    @Override
    public CallOutcome add(Target target, Sync sync, List<AudienceMember> members, UploadSession session) {
        List<Object> profiles = members.stream().<Object>map(m -> Map.of("type", "profile", "attributes", m.payload()))
                .toList();
        Map<String, Object> body = Map.of("data", Map.of(
                "type", "profile-bulk-import-job",
                "attributes", Map.of("profiles", Map.of("data", profiles)),
                "relationships", Map.of("lists", Map.of("data", List.of(list(target))))));
        return call(target, request(target, "/api/profile-bulk-import-jobs").POST(http.jsonBody(body)).build());
    }

    @Override
    public CallOutcome remove(Target target, Sync sync, List<LedgerEntry> entries) {
        List<String> externalIds = entries.stream().map(e -> String.valueOf(e.removal().get("external_id"))).toList();
        List<Object> profileIds = new ArrayList<>();
        for (int from = 0; from < externalIds.size(); from += LOOKUP_PAGE) {
            List<String> page = externalIds.subList(from, Math.min(from + LOOKUP_PAGE, externalIds.size()));
            String filter = "any(external_id,[" + page.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(","))
                    + "])";
            HttpRequest lookup = request(target, "/api/profiles?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                    + "&page%5Bsize%5D=" + LOOKUP_PAGE + "&fields%5Bprofile%5D=external_id").GET().build();
            CallOutcome found = ChannelHttp.outcomeOf(() -> {
                ChannelHttp.Reply reply = http.send(target.destination().id(), lookup);
                if (!reply.ok()) {
                    return outcome(reply);
                }
                for (JsonNode profile : reply.json(http.mapper()).path("data")) {
                    profileIds.add(Map.of("type", "profile", "id", profile.path("id").asText()));
                }
                return CallOutcome.Done.all();
            });
            if (!(found instanceof CallOutcome.Done)) {
                return found;
            }
        }
        if (profileIds.isEmpty()) {
            return CallOutcome.Done.all(); // none of them is in Klaviyo: nothing to remove
        }
        for (int from = 0; from < profileIds.size(); from += SUBSCRIPTION_BATCH) {
            List<Object> chunk = profileIds.subList(from, Math.min(from + SUBSCRIPTION_BATCH, profileIds.size()));
            CallOutcome outcome = call(target, request(target, "/api/lists/" + target.config("listId")
                    + "/relationships/profiles").method("DELETE", http.jsonBody(Map.of("data", chunk))).build());
            if (!(outcome instanceof CallOutcome.Done)) {
                return outcome;
            }
        }
        return CallOutcome.Done.all();
    }

    @Override
    public CallOutcome subscription(Target target, Sync sync, List<String> emails, boolean subscribe) {
        String consent = subscribe ? "SUBSCRIBED" : "UNSUBSCRIBED";
        String jobType = subscribe ? "profile-subscription-bulk-create-job" : "profile-subscription-bulk-delete-job";
        String path = subscribe ? "/api/profile-subscription-bulk-create-jobs" : "/api/profile-subscription-bulk-delete-jobs";
        for (int from = 0; from < emails.size(); from += SUBSCRIPTION_BATCH) {
            List<Object> profiles = emails.subList(from, Math.min(from + SUBSCRIPTION_BATCH, emails.size())).stream()
                    .<Object>map(email -> Map.of("type", "profile", "attributes", Map.of("email", email,
                            "subscriptions", Map.of("email", Map.of("marketing", Map.of("consent", consent))))))
                    .toList();
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("profiles", Map.of("data", profiles));
            if (subscribe) {
                attributes.put("custom_source", "Satsuma");
                attributes.put("historical_import", false);
            }
            Map<String, Object> body = Map.of("data", Map.of("type", jobType, "attributes", attributes,
                    "relationships", Map.of("list", Map.of("data", list(target)))));
            CallOutcome outcome = call(target, request(target, path).POST(http.jsonBody(body)).build());
            if (!(outcome instanceof CallOutcome.Done)) {
                return outcome;
            }
        }
        return CallOutcome.Done.all();
    }

    @Override
    public CallOutcome test(Target target) {
        return call(target, request(target, "/api/lists/" + target.config("listId")).GET().build());
    }

    private static Map<String, Object> list(Target target) {
        return Map.of("type", "list", "id", target.config("listId"));
    }

    private HttpRequest.Builder request(Target target, String path) {
        return http.request(target.destination().baseUrl() + path)
                .header("Authorization", "Klaviyo-API-Key " + target.secret("apiKey"))
                .header("revision", REVISION)
                .header("Accept", JSON_API)
                .header("Content-Type", JSON_API);
    }

    private CallOutcome call(Target target, HttpRequest request) {
        return ChannelHttp.outcomeOf(() -> {
            ChannelHttp.Reply reply = http.send(target.destination().id(), request);
            return reply.ok() ? CallOutcome.Done.all() : outcome(reply);
        });
    }

    private CallOutcome outcome(ChannelHttp.Reply reply) {
        if (reply.status() >= 400 && reply.status() < 500 && reply.status() != 401 && reply.status() != 403
                && reply.status() != 408 && reply.status() != 429) {
            JsonNode first = reply.json(http.mapper()).path("errors").path(0);
            return new CallOutcome.Rejected("Klaviyo " + first.path("code").asText("error") + " (HTTP " + reply.status() + ")");
        }
        return ChannelHttp.classify("Klaviyo", reply);
    }
}
