package io.satsuma.activation.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.activation.domain.AudienceConnector;
import io.satsuma.activation.domain.AudienceFormat;
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
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Meta Custom Audiences (Marketing API): {@code POST /{audience_id}/users} adds rows, {@code DELETE} on the same path
 * removes them, {@code payload = {schema, data}} with hashed keys, {@code session} while a full upload runs. Error
 * code 190 (token expired or invalid) pauses the sync; 4, 17, 613 and 80003 are rate limits.
 */
@ApplicationScoped
class MetaCustomAudiences implements AudienceConnector {
    private static final Logger LOG = Logger.getLogger(MetaCustomAudiences.class);
    private static final Set<Integer> RATE_LIMITED = Set.of(4, 17, 613, 80003);
    private final ChannelHttp http;

    MetaCustomAudiences(ChannelHttp http) {
        this.http = http;
    }

    @Override
    public DestinationType type() {
        return DestinationType.META_CUSTOM_AUDIENCE;
    }

    @Override
    public CallOutcome add(Target target, Sync sync, List<AudienceMember> members, UploadSession session) {
        return users(target, "POST", AudienceFormat.of(type()).schema(sync.settings()),
                members.stream().map(m -> m.payload().get("row")).toList(), session);
    }

    @Override
    public CallOutcome remove(Target target, Sync sync, List<LedgerEntry> entries) {
        return users(target, "DELETE", AudienceFormat.of(type()).removalSchema(),
                entries.stream().map(e -> e.removal().get("row")).toList(), null);
    }

    private CallOutcome users(Target target, String method, List<String> schema, List<Object> rows, UploadSession session) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("payload", Map.of("schema", schema, "data", rows));
        if (session != null) {
            body.put("session", Map.of("session_id", session.sessionId(), "batch_seq", session.batchSeq(),
                    "last_batch_flag", session.lastBatch(), "estimated_num_total", session.estimatedTotal()));
        }
        HttpRequest request = http.request(target.destination().baseUrl() + "/" + target.config("audienceId") + "/users")
                .header("Authorization", "Bearer " + target.secret("accessToken"))
                .header("Content-Type", "application/json")
                .method(method, http.jsonBody(body))
                .build();
        return ChannelHttp.outcomeOf(() -> {
            ChannelHttp.Reply reply = http.send(target.destination().id(), request);
            if (reply.ok()) {
                long invalid = reply.json(http.mapper()).path("num_invalid_entries").asLong(0);
                if (invalid > 0) {
                    LOG.infof("Meta audience of destination %s: %d of %d rows invalid", target.destination().id(),
                            invalid, rows.size());
                }
                return CallOutcome.Done.all();
            }
            return outcome(reply);
        });
    }

    private CallOutcome outcome(ChannelHttp.Reply reply) {
        JsonNode error = reply.json(http.mapper()).path("error");
        int code = error.path("code").asInt(0);
        if (code == 190) {
            return new CallOutcome.Unauthorized("Meta code 190: the access token is invalid or expired");
        }
        if (RATE_LIMITED.contains(code)) {
            return new CallOutcome.Retry(reply.retryAfter(), "Meta rate limit (code " + code + ")");
        }
        if (code != 0 && reply.status() < 500 && reply.status() != 429) {
            return reply.status() == 401 || reply.status() == 403
                    ? new CallOutcome.Unauthorized("Meta code " + code + " (HTTP " + reply.status() + ")")
                    : new CallOutcome.Rejected("Meta code " + code + " subcode " + error.path("error_subcode").asInt(0)
                    + " (HTTP " + reply.status() + ")");
        }
        return ChannelHttp.classify("Meta", reply);
    }

    @Override
    public CallOutcome test(Target target) {
        HttpRequest request = http.request(target.destination().baseUrl() + "/" + target.config("audienceId")
                        + "?fields=id,name,approximate_count_lower_bound")
                .header("Authorization", "Bearer " + target.secret("accessToken")).GET().build();
        return ChannelHttp.outcomeOf(() -> {
            ChannelHttp.Reply reply = http.send(target.destination().id(), request);
            return reply.ok() ? CallOutcome.Done.all() : outcome(reply);
        });
    }
}
