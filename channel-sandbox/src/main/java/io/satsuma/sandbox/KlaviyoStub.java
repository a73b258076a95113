package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Klaviyo (revision 2026-07-15): every request is checked against Klaviyo's published OpenAPI document (path, method,
 * {@code Authorization: Klaviyo-API-Key}, {@code revision} header, JSON:API content type, body). Bulk import jobs
 * create or update profiles (by email or external_id) and add them to the list at once; profiles are found by
 * {@code any(external_id,[...])}; list relationships are deleted; subscription jobs record email consent.
 */
public final class KlaviyoStub extends VendorStub {
    private static final Pattern LIST = Pattern.compile("/api/lists/([^/]+)");
    private static final Pattern RELATIONSHIPS = Pattern.compile("/api/lists/([^/]+)/relationships/profiles");
    private static final Pattern ANY_EXTERNAL_ID = Pattern.compile("any\\(external_id,\\[(.*)]\\)");

    private final OpenApiContract contract;
    private final Map<String, Map<String, Object>> profiles = new ConcurrentHashMap<>();
    private final Map<String, String> byExternalId = new ConcurrentHashMap<>();
    private final Map<String, String> byEmail = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> lists = new ConcurrentHashMap<>();
    private final Map<String, String> emailConsent = new ConcurrentHashMap<>();

    KlaviyoStub(ObjectMapper json, Clock clock, OpenApiContract contract) {
        super("klaviyo", json, clock);
        this.contract = contract;
    }

    /** The emails of a list's members. */
    public synchronized Set<String> listEmails(String listId) {
        Set<String> emails = ConcurrentHashMap.newKeySet();
        lists.getOrDefault(listId, Set.of()).forEach(id -> emails.add(String.valueOf(profiles.get(id).get("email"))));
        return emails;
    }

    /** An address's email marketing consent as last set by a subscription job (SUBSCRIBED, UNSUBSCRIBED or null). */
    public String emailConsent(String email) {
        return emailConsent.get(email);
    }

    /** Whether requests are checked against Klaviyo's published document. */
    public boolean contractChecked() {
        return contract != null;
    }

    @Override
    public synchronized Object state() {
        Map<String, Object> sizes = new LinkedHashMap<>();
        lists.forEach((id, members) -> sizes.put(id, members.size()));
        return Map.of("profiles", profiles.size(), "lists", sizes, "subscriptions", emailConsent);
    }

    @Override
    protected synchronized void clearState() {
        profiles.clear();
        byExternalId.clear();
        byEmail.clear();
        lists.clear();
        emailConsent.clear();
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("errors", List.of(Map.of("id", UUID.randomUUID().toString(), "status", 401,
                "code", "not_authenticated", "title", "Authentication credentials were not provided.",
                "detail", "Missing or invalid private key."))));
    }

    @Override
    protected synchronized Reply handle(Call call) {
        if (contract != null) {
            contract.check(call);
        }
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        String path = call.path;
        if (path.equals("/api/profile-bulk-import-jobs") && call.method.equals("POST")) {
            return bulkImport(readJson(call));
        }
        Matcher relationships = RELATIONSHIPS.matcher(path);
        if (relationships.matches() && call.method.equals("DELETE")) {
            Set<String> members = lists.computeIfAbsent(relationships.group(1), id -> ConcurrentHashMap.newKeySet());
            readJson(call).path("data").forEach(p -> members.remove(p.path("id").asText()));
            return Reply.empty(204);
        }
        if (path.equals("/api/profiles") && call.method.equals("GET")) {
            return findProfiles(call);
        }
        if ((path.equals("/api/profile-subscription-bulk-create-jobs") || path.equals("/api/profile-subscription-bulk-delete-jobs"))
                && call.method.equals("POST")) {
            JsonNode body = readJson(call);
            String listId = body.path("data").path("relationships").path("list").path("data").path("id").asText();
            boolean subscribe = path.contains("create");
            for (JsonNode profile : body.path("data").path("attributes").path("profiles").path("data")) {
                String email = profile.path("attributes").path("email").asText();
                emailConsent.put(email, profile.path("attributes").path("subscriptions").path("email").path("marketing")
                        .path("consent").asText());
                if (subscribe) {
                    String id = byEmail.computeIfAbsent(email, e -> newProfile(Map.of("email", e)));
                    lists.computeIfAbsent(listId, l -> ConcurrentHashMap.newKeySet()).add(id);
                }
            }
            return Reply.empty(202);
        }
        Matcher list = LIST.matcher(path);
        if (list.matches() && call.method.equals("GET")) {
            return Reply.json(200, Map.of("data", Map.of("type", "list", "id", list.group(1),
                    "attributes", Map.of("name", "sandbox list"))));
        }
        call.violation("klaviyo: " + call.method + " " + path + " is not simulated by the sandbox");
        return Reply.empty(400);
    }

    private Reply bulkImport(JsonNode body) {
        JsonNode data = body.path("data");
        List<String> imported = new ArrayList<>();
        for (JsonNode profile : data.path("attributes").path("profiles").path("data")) {
            JsonNode attributes = profile.path("attributes");
            String externalId = attributes.path("external_id").asText(null);
            String email = attributes.path("email").asText(null);
            String id = externalId != null && byExternalId.containsKey(externalId) ? byExternalId.get(externalId)
                    : email != null && byEmail.containsKey(email) ? byEmail.get(email) : null;
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = json.convertValue(attributes, Map.class);
            if (id == null) {
                id = newProfile(fields);
            } else {
                profiles.get(id).putAll(fields);
            }
            if (externalId != null) {
                byExternalId.put(externalId, id);
            }
            if (email != null) {
                byEmail.put(email, id);
            }
            imported.add(id);
        }
        for (JsonNode list : data.path("relationships").path("lists").path("data")) {
            lists.computeIfAbsent(list.path("id").asText(), l -> ConcurrentHashMap.newKeySet()).addAll(imported);
        }
        return Reply.json(202, Map.of("data", Map.of("type", "profile-bulk-import-job", "id", UUID.randomUUID().toString(),
                "attributes", Map.of("status", "complete", "total_count", imported.size(),
                        "completed_count", imported.size(), "failed_count", 0))));
    }

    private Reply findProfiles(Call call) {
        String filter = call.queryParam("filter");
        Matcher any = filter == null ? null : ANY_EXTERNAL_ID.matcher(filter);
        if (any == null || !any.matches()) {
            call.violation("klaviyo: the sandbox finds profiles by filter=any(external_id,[...]) only");
            return Reply.empty(400);
        }
        String size = call.queryParam("page[size]");
        int pageSize = size == null ? 20 : Integer.parseInt(size);
        if (pageSize > 100) {
            call.violation("klaviyo: page[size] is at most 100");
        }
        List<Object> found = new ArrayList<>();
        for (String quoted : any.group(1).split(",")) {
            String externalId = quoted.trim().replaceAll("^\"|\"$", "");
            String id = byExternalId.get(externalId);
            if (id != null && found.size() < pageSize) {
                found.add(Map.of("type", "profile", "id", id, "attributes", Map.of("external_id", externalId)));
            }
        }
        return Reply.json(200, Map.of("data", found, "links", Map.of("self", "sandbox")));
    }

    private String newProfile(Map<String, Object> fields) {
        String id = "01SANDBOX" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase();
        profiles.put(id, new ConcurrentHashMap<>(fields));
        return id;
    }
}
