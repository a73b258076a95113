package io.satsuma.activation.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.MessageConnector;
import io.satsuma.activation.domain.OutgoingMessage;
import io.satsuma.activation.domain.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Firebase Cloud Messaging HTTP v1: {@code POST /v1/projects/{project_id}/messages:send}, one request per device token,
 * on a service-account OAuth token. {@code UNREGISTERED} (404) or {@code INVALID_ARGUMENT} (400) on the token means
 * the token is dead: dropped from the profile, not retried.
 */
@ApplicationScoped
class FcmPush implements MessageConnector {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private final ChannelHttp http;
    private final ServiceAccountTokens tokens;

    FcmPush(ChannelHttp http, ServiceAccountTokens tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    @Override
    public DestinationType type() {
        return DestinationType.FCM_PUSH;
    }

    @Override
    public CallOutcome send(Target target, OutgoingMessage message, String token) {
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("title", message.title());
        notification.put("body", message.body());
        Map<String, Object> fcm = new LinkedHashMap<>();
        fcm.put("token", token);
        fcm.put("notification", notification);
        if (!message.data().isEmpty()) {
            fcm.put("data", message.data());
        }
        return ChannelHttp.outcomeOf(() -> {
            String bearer = tokens.token(target, SCOPE);
            HttpRequest request = http.request(target.destination().baseUrl() + "/v1/projects/"
                            + target.config("projectId") + "/messages:send")
                    .header("Authorization", "Bearer " + bearer)
                    .header("Content-Type", "application/json")
                    .POST(http.jsonBody(Map.of("message", fcm, "validate_only", false))).build();
            ChannelHttp.Reply reply = http.send(target.destination().id(), request);
            if (reply.ok()) {
                return CallOutcome.Done.all();
            }
            String errorCode = errorCode(reply.json(http.mapper()));
            if ("UNREGISTERED".equals(errorCode) || (reply.status() == 400 && "INVALID_ARGUMENT".equals(errorCode))) {
                return new CallOutcome.DeadContact("FCM " + errorCode);
            }
            if (reply.status() == 400) {
                return new CallOutcome.Rejected("FCM " + errorCode + " (HTTP 400)");
            }
            return ChannelHttp.classify("FCM", reply);
        });
    }

    /** FCM's own code ({@code details[].errorCode}), else the Google status. */
    private static String errorCode(JsonNode body) {
        JsonNode error = body.path("error");
        for (JsonNode detail : error.path("details")) {
            if (detail.has("errorCode")) {
                return detail.path("errorCode").asText();
            }
        }
        return error.path("status").asText("UNKNOWN");
    }

    @Override
    public CallOutcome test(Target target) {
        return ChannelHttp.outcomeOf(() -> {
            tokens.token(target, SCOPE);
            return CallOutcome.Done.all();
        });
    }
}
