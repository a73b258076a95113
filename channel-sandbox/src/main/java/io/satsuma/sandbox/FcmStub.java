package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Firebase Cloud Messaging HTTP v1: {@code POST /v1/projects/{project_id}/messages:send} on a bearer token from the
 * OAuth stub (scope firebase.messaging), bodies checked against {@code schemas/fcm-send.json}; unregistered tokens
 * answer 404 {@code UNREGISTERED} as FCM does.
 */
public final class FcmStub extends VendorStub {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final Pattern SEND = Pattern.compile("/v1/projects/([a-z][a-z0-9-]+)/messages:send");
    private final OAuthStub oauth;
    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();

    FcmStub(ObjectMapper json, Clock clock, OAuthStub oauth) {
        super("fcm", json, clock);
        this.oauth = oauth;
    }

    /** The messages FCM accepted, as sent. */
    public List<JsonNode> messages() {
        return List.copyOf(delivered);
    }

    @Override
    public Object state() {
        return Map.of("messages", delivered.size());
    }

    @Override
    protected void clearState() {
        delivered.clear();
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("error", Map.of("code", 401, "message", "Request had invalid authentication credentials.",
                "status", "UNAUTHENTICATED")));
    }

    @Override
    protected Reply handle(Call call) {
        var send = SEND.matcher(call.path);
        if (!call.method.equals("POST") || !send.matches()) {
            call.violation("fcm: no " + call.method + " " + call.path + " in FCM HTTP v1");
            return Reply.empty(404);
        }
        if (!oauth.accepts(call.header("Authorization"), SCOPE)) {
            return unauthorized();
        }
        JsonNode body = readJson(call);
        JsonSchemas.check(call, "fcm-send", body);
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        String token = body.path("message").path("token").asText();
        if (faults().deadTokens.contains(token)) {
            return Reply.json(404, Map.of("error", Map.of("code", 404, "message", "Requested entity was not found.",
                    "status", "NOT_FOUND", "details", List.of(Map.of(
                            "@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode", "UNREGISTERED")))));
        }
        delivered.add(body.path("message"));
        return Reply.json(200, Map.of("name", "projects/" + send.group(1) + "/messages/0:" + UUID.randomUUID()));
    }
}
