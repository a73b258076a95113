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
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Google Customer Match through the Data Manager API: {@code POST /v1/audienceMembers:ingest} and
 * {@code :remove} with HEX SHA-256 identifiers, per-member consent and the Customer Match terms accepted, on a
 * service-account OAuth token ({@link ServiceAccountTokens}).
 */
@ApplicationScoped
class GoogleCustomerMatch implements AudienceConnector {
    static final String SCOPE = "https://www.googleapis.com/auth/datamanager";
    private final ChannelHttp http;
    private final ServiceAccountTokens tokens;

    GoogleCustomerMatch(ChannelHttp http, ServiceAccountTokens tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    @Override
    public DestinationType type() {
        return DestinationType.GOOGLE_CUSTOMER_MATCH;
    }

    @Override
    public CallOutcome add(Target target, Sync sync, List<AudienceMember> members, UploadSession session) {
        List<Object> audienceMembers = members.stream().<Object>map(m -> Map.of(
                "userData", Map.of("userIdentifiers", m.payload().get("userIdentifiers")),
                "consent", m.payload().get("consent"))).toList();
        Map<String, Object> body = envelope(target, audienceMembers);
        body.put("termsOfService", Map.of("customerMatchTermsOfServiceStatus", "ACCEPTED"));
        return post(target, "/v1/audienceMembers:ingest", body);
    }

    @Override
    public CallOutcome remove(Target target, Sync sync, List<LedgerEntry> entries) {
        List<Object> audienceMembers = entries.stream().<Object>map(e -> Map.of(
                "userData", Map.of("userIdentifiers", e.removal().get("userIdentifiers")))).toList();
        return post(target, "/v1/audienceMembers:remove", envelope(target, audienceMembers));
    }

    private static Map<String, Object> envelope(Target target, List<Object> audienceMembers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("destinations", List.of(Map.of(
                "operatingAccount", Map.of("accountType", "GOOGLE_ADS", "accountId", target.config("operatingAccountId")),
                "productDestinationId", target.config("userListId"))));
        body.put("audienceMembers", audienceMembers);
        body.put("encoding", "HEX");
        body.put("validateOnly", false);
        return body;
    }

    private CallOutcome post(Target target, String path, Map<String, Object> body) {
        return ChannelHttp.outcomeOf(() -> {
            String token = tokens.token(target, SCOPE);
            HttpRequest request = http.request(target.destination().baseUrl() + path)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(http.jsonBody(body)).build();
            ChannelHttp.Reply reply = http.send(target.destination().id(), request);
            if (reply.ok() || reply.status() == 401 || reply.status() == 403 || reply.status() == 429 || reply.status() >= 500) {
                return ChannelHttp.classify("Google", reply);
            }
            JsonNode error = reply.json(http.mapper()).path("error");
            return new CallOutcome.Rejected("Google " + error.path("status").asText("error") + " (HTTP " + reply.status() + ")");
        });
    }

    /** Proves the service account: a token for the Data Manager scope is issued. */
    @Override
    public CallOutcome test(Target target) {
        return ChannelHttp.outcomeOf(() -> {
            tokens.token(target, SCOPE);
            return CallOutcome.Done.all();
        });
    }
}
