package io.satsuma.activation.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.activation.domain.AudienceConnector;
import io.satsuma.activation.domain.AudienceMember;
import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.LedgerEntry;
import io.satsuma.activation.domain.Hashing;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.Target;
import io.satsuma.activation.domain.UploadSession;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mailchimp audiences (Marketing API 3.0): a batch upsert ({@code POST /3.0/lists/{list_id}}, ≤ 500 members, the
 * segment's tag on new members); members that already existed get the tag set active, and removed people inactive,
 * with {@code POST /lists/{list_id}/members/{subscriber_hash}/tags}. Mailchimp answers 200 even when some members
 * failed: each failure in {@code errors[]} is reported for that person alone, the rest are not sent again.
 */
@ApplicationScoped
class MailchimpAudiences implements AudienceConnector {
    private final ChannelHttp http;

    MailchimpAudiences(ChannelHttp http) {
        this.http = http;
    }

    @Override
    public DestinationType type() {
        return DestinationType.MAILCHIMP_AUDIENCE;
    }

    @Override
    public CallOutcome add(Target target, Sync sync, List<AudienceMember> members, UploadSession session) {
        String tag = sync.settings().tagFor(sync.segmentId());
        Map<String, String> profileByEmail = new HashMap<>();
        List<Object> batch = members.stream().<Object>map(m -> {
            Map<String, Object> member = new LinkedHashMap<>(m.payload());
            member.put("tags", List.of(tag));
            profileByEmail.put(String.valueOf(m.payload().get("email_address")).toLowerCase(Locale.ROOT), m.profileId());
            return member;
        }).toList();
        Map<String, Object> body = Map.of("members", batch, "update_existing", true, "sync_tags", false);
        return ChannelHttp.outcomeOf(() -> {
            ChannelHttp.Reply reply = http.send(target.destination().id(),
                    request(target, "/3.0/lists/" + target.config("listId")).POST(http.jsonBody(body)).build());
            if (!reply.ok()) {
                return outcome(reply);
            }
            JsonNode answer = reply.json(http.mapper());
            Map<String, String> failed = new HashMap<>();
            for (JsonNode error : answer.path("errors")) {
                String profileId = profileByEmail.get(error.path("email_address").asText("").toLowerCase(Locale.ROOT));
                if (profileId != null) {
                    failed.put(profileId, "Mailchimp " + error.path("error_code").asText("ERROR"));
                }
            }
            // Existing members kept their tags: the segment's tag is set on each of them.
            for (JsonNode updated : answer.path("updated_members")) {
                String email = updated.path("email_address").asText("");
                CallOutcome tagged = tag(target, Hashing.mailchimpSubscriberHash(email), tag, "active");
                if (!(tagged instanceof CallOutcome.Done)) {
                    String profileId = profileByEmail.get(email.toLowerCase(Locale.ROOT));
                    if (tagged instanceof CallOutcome.Rejected rejected && profileId != null) {
                        failed.put(profileId, rejected.error());
                    } else {
                        return tagged;
                    }
                }
            }
            return new CallOutcome.Done(failed);
        });
    }

    @Override
    public CallOutcome remove(Target target, Sync sync, List<LedgerEntry> entries) {
        String tag = sync.settings().tagFor(sync.segmentId());
        Map<String, String> failed = new HashMap<>();
        for (LedgerEntry entry : entries) {
            CallOutcome outcome = tag(target, String.valueOf(entry.removal().get("subscriber_hash")), tag, "inactive");
            if (outcome instanceof CallOutcome.Rejected rejected) {
                failed.put(entry.profileId(), rejected.error());
            } else if (!(outcome instanceof CallOutcome.Done)) {
                return outcome;
            }
        }
        return new CallOutcome.Done(failed);
    }

    private CallOutcome tag(Target target, String subscriberHash, String tag, String status) {
        Map<String, Object> body = Map.of("tags", List.of(Map.of("name", tag, "status", status)));
        return ChannelHttp.outcomeOf(() -> {
            ChannelHttp.Reply reply = http.send(target.destination().id(), request(target, "/3.0/lists/"
                    + target.config("listId") + "/members/" + subscriberHash + "/tags").POST(http.jsonBody(body)).build());
            if (reply.status() == 404) {
                return CallOutcome.Done.all(); // not on the list at all: nothing to untag
            }
            return reply.ok() ? CallOutcome.Done.all() : outcome(reply);
        });
    }

    @Override
    public CallOutcome test(Target target) {
        return ChannelHttp.outcomeOf(() -> {
            ChannelHttp.Reply reply = http.send(target.destination().id(),
                    request(target, "/3.0/lists/" + target.config("listId") + "?fields=id,name").GET().build());
            return reply.ok() ? CallOutcome.Done.all() : outcome(reply);
        });
    }

    /** The API root: {@code config.baseUrl}, else the data center named by the key's suffix. */
    static String baseUrl(Target target) {
        String configured = target.destination().baseUrl();
        if (configured != null) {
            return configured;
        }
        String key = target.secret("apiKey");
        return "https://" + key.substring(key.lastIndexOf('-') + 1) + ".api.mailchimp.com";
    }

    private HttpRequest.Builder request(Target target, String path) {
        return http.request(baseUrl(target) + path)
                .header("Authorization", ChannelHttp.basic("satsuma", target.secret("apiKey")))
                .header("Content-Type", "application/json");
    }

    private CallOutcome outcome(ChannelHttp.Reply reply) {
        if (reply.status() == 400 || reply.status() == 404 || reply.status() == 422) {
            JsonNode problem = reply.json(http.mapper());
            return new CallOutcome.Rejected("Mailchimp " + problem.path("title").asText("error") + " (HTTP "
                    + reply.status() + ")");
        }
        return ChannelHttp.classify("Mailchimp", reply);
    }
}
