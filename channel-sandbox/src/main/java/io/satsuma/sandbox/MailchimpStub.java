package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mailchimp Marketing API 3.0: batch upsert ({@code POST /3.0/lists/{list_id}}, ≤ 500 members; new members take the
 * batch's tags), member tags ({@code POST /3.0/lists/{id}/members/{subscriber_hash}/tags}, 204, 404 for an unknown
 * member), list reads. Basic auth with an API key that names its data center. Refused addresses come back in
 * {@code errors[]} with a 200, as Mailchimp does.
 */
public final class MailchimpStub extends VendorStub {
    private static final Pattern BATCH = Pattern.compile("/3\\.0/lists/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/3\\.0/lists/([^/]+)/members/([0-9a-f]{32})/tags");
    private static final Pattern API_KEY = Pattern.compile("[0-9a-zA-Z]{8,}-[a-z]{2,4}[0-9]{1,3}");

    /** A list member: address, status, merge fields, and each tag's active flag. */
    public record Member(String email, String status, Map<String, Object> mergeFields, Map<String, Boolean> tags) {
    }

    private final Map<String, Map<String, Member>> lists = new ConcurrentHashMap<>();

    MailchimpStub(ObjectMapper json, Clock clock) {
        super("mailchimp", json, clock);
    }

    /** The members of a list that carry {@code tag} as active, by address. */
    public List<String> tagged(String listId, String tag) {
        return lists.getOrDefault(listId, Map.of()).values().stream()
                .filter(m -> Boolean.TRUE.equals(m.tags().get(tag))).map(Member::email).sorted().toList();
    }

    public Map<String, Member> members(String listId) {
        return Map.copyOf(lists.getOrDefault(listId, Map.of()));
    }

    @Override
    public Object state() {
        Map<String, Object> sizes = new LinkedHashMap<>();
        lists.forEach((id, members) -> sizes.put(id, members.size()));
        return Map.of("lists", sizes);
    }

    @Override
    protected void clearState() {
        lists.clear();
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("type", "https://mailchimp.com/developer/marketing/docs/errors/",
                "title", "API Key Invalid", "status", 401, "detail", "Your API key may be invalid, or you've attempted "
                        + "to access the wrong datacenter.", "instance", "sandbox"));
    }

    @Override
    protected synchronized Reply handle(Call call) {
        checkAuth(call);
        Matcher tags = TAGS.matcher(call.path);
        if (tags.matches() && call.method.equals("POST")) {
            JsonNode body = readJson(call);
            JsonSchemas.check(call, "mailchimp-tags", body);
            if (!call.violations.isEmpty()) {
                return Reply.empty(400);
            }
            Member member = lists.getOrDefault(tags.group(1), Map.of()).get(tags.group(2));
            if (member == null) {
                return Reply.json(404, Map.of("title", "Resource Not Found", "status", 404));
            }
            body.path("tags").forEach(t -> member.tags().put(t.path("name").asText(), "active".equals(t.path("status").asText())));
            return Reply.empty(204);
        }
        Matcher batch = BATCH.matcher(call.path);
        if (batch.matches() && call.method.equals("POST")) {
            JsonNode body = readJson(call);
            JsonSchemas.check(call, "mailchimp-batch", body);
            return call.violations.isEmpty() ? upsert(batch.group(1), body) : Reply.empty(400);
        }
        if (batch.matches() && call.method.equals("GET")) {
            return Reply.json(200, Map.of("id", batch.group(1), "name", "sandbox audience"));
        }
        call.violation("mailchimp: no " + call.method + " " + call.path + " in the Marketing API");
        return Reply.empty(404);
    }

    private Reply upsert(String listId, JsonNode body) {
        Map<String, Member> members = lists.computeIfAbsent(listId, id -> new ConcurrentHashMap<>());
        boolean updateExisting = body.path("update_existing").asBoolean(false);
        List<Object> created = new ArrayList<>();
        List<Object> updated = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        for (JsonNode m : body.path("members")) {
            String email = m.path("email_address").asText();
            if (faults().refusedEmails.contains(email.toLowerCase(Locale.ROOT))) {
                errors.add(Map.of("email_address", email, "error", "this address looks fake or invalid",
                        "error_code", "ERROR_GENERIC"));
                continue;
            }
            String hash = md5(email.toLowerCase(Locale.ROOT));
            @SuppressWarnings("unchecked")
            Map<String, Object> merge = json.convertValue(m.path("merge_fields"), Map.class);
            Member existing = members.get(hash);
            if (existing == null) {
                Map<String, Boolean> memberTags = new ConcurrentHashMap<>();
                m.path("tags").forEach(t -> memberTags.put(t.asText(), true));
                String status = m.has("status") ? m.path("status").asText() : m.path("status_if_new").asText();
                members.put(hash, new Member(email, status, merge == null ? Map.of() : merge, memberTags));
                created.add(Map.of("id", hash, "email_address", email, "status", status));
            } else if (updateExisting) {
                Member replaced = new Member(email, m.has("status") ? m.path("status").asText() : existing.status(),
                        merge == null ? existing.mergeFields() : merge, existing.tags());
                members.put(hash, replaced);
                updated.add(Map.of("id", hash, "email_address", email, "status", replaced.status()));
            } else {
                errors.add(Map.of("email_address", email, "error", email + " is already a list member",
                        "error_code", "ERROR_CONTACT_EXISTS"));
            }
        }
        return Reply.json(200, Map.of("new_members", created, "updated_members", updated, "errors", errors,
                "total_created", created.size(), "total_updated", updated.size(), "error_count", errors.size()));
    }

    private void checkAuth(Call call) {
        String auth = call.header("Authorization");
        if (auth == null || !auth.startsWith("Basic ")) {
            call.violation("mailchimp: Basic auth with the API key as password is required");
            return;
        }
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        String key = decoded.substring(decoded.indexOf(':') + 1);
        if (!API_KEY.matcher(key).matches()) {
            call.violation("mailchimp: the password is not an API key with a data center suffix");
        }
    }

    static String md5(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
