package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google Data Manager API: {@code POST /v1/audienceMembers:ingest} and {@code :remove} on a bearer token from the
 * OAuth stub (scope datamanager), bodies checked against {@code schemas/google-audience-members.json}; ingest must
 * accept the Customer Match terms. A user list holds members by their identifiers.
 */
public final class GoogleStub extends VendorStub {
    static final String SCOPE = "https://www.googleapis.com/auth/datamanager";
    private final OAuthStub oauth;
    private final Map<String, Map<String, JsonNode>> userLists = new ConcurrentHashMap<>();

    GoogleStub(ObjectMapper json, Clock clock, OAuthStub oauth) {
        super("google", json, clock);
        this.oauth = oauth;
    }

    /** The members a user list holds: their identifiers (as sent), by the identifiers' JSON. */
    public Map<String, JsonNode> userList(String userListId) {
        return Map.copyOf(userLists.getOrDefault(userListId, Map.of()));
    }

    @Override
    public Object state() {
        Map<String, Object> lists = new LinkedHashMap<>();
        userLists.forEach((id, members) -> lists.put(id, Map.of("members", members.size())));
        return Map.of("userLists", lists);
    }

    @Override
    protected void clearState() {
        userLists.clear();
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("error", Map.of("code", 401, "message", "Request had invalid authentication credentials.",
                "status", "UNAUTHENTICATED")));
    }

    @Override
    protected Reply handle(Call call) {
        boolean ingest = call.path.equals("/v1/audienceMembers:ingest");
        if (!call.method.equals("POST") || !(ingest || call.path.equals("/v1/audienceMembers:remove"))) {
            call.violation("google: no " + call.method + " " + call.path + " in the Data Manager API");
            return Reply.empty(404);
        }
        if (!oauth.accepts(call.header("Authorization"), SCOPE)) {
            return unauthorized();
        }
        JsonNode body = readJson(call);
        JsonSchemas.check(call, "google-audience-members", body);
        if (ingest && !"ACCEPTED".equals(body.path("termsOfService").path("customerMatchTermsOfServiceStatus").asText())) {
            call.violation("google: ingest must accept the Customer Match terms of service");
        }
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        for (JsonNode destination : body.path("destinations")) {
            Map<String, JsonNode> members = userLists.computeIfAbsent(destination.path("productDestinationId").asText(),
                    id -> new ConcurrentHashMap<>());
            for (JsonNode member : body.path("audienceMembers")) {
                JsonNode identifiers = member.path("userData").path("userIdentifiers");
                if (ingest) {
                    members.put(identifiers.toString(), identifiers);
                } else {
                    members.remove(identifiers.toString());
                }
            }
        }
        return Reply.json(200, Map.of("requestId", UUID.randomUUID().toString()));
    }
}
