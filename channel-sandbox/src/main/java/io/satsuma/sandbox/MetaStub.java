package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Meta Custom Audiences (v27.0): {@code POST|DELETE /v27.0/{audience_id}/users}, {@code GET /v27.0/{audience_id}}.
 * Beyond the schema it checks what Meta requires of the data: rows as long as the schema, and every key but
 * {@code EXTERN_ID} and {@code MADID} a lower-case SHA-256 hex (or empty): ad platforms only ever get hashes.
 * An audience holds rows by {@code EXTERN_ID}; how many times each was added is counted.
 */
public final class MetaStub extends VendorStub {
    private static final Pattern USERS = Pattern.compile("/v[0-9.]+/([0-9]+)/users");
    private static final Pattern AUDIENCE = Pattern.compile("/v[0-9.]+/([0-9]+)");
    private static final Pattern HASH = Pattern.compile("([0-9a-f]{64})?");
    private static final List<String> PLAIN = List.of("EXTERN_ID", "MADID");

    private final Map<String, Map<String, String>> audiences = new ConcurrentHashMap<>();
    private volatile boolean keepRows = true;
    private final Map<String, Integer> additions = new ConcurrentHashMap<>();
    private final AtomicLong rowsReceived = new AtomicLong();

    MetaStub(ObjectMapper json, Clock clock) {
        super("meta", json, clock);
    }

    /** The rows an audience holds, by EXTERN_ID (or the whole row when it has none); empty rows when not kept. */
    public Map<String, List<String>> audience(String audienceId) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        audiences.getOrDefault(audienceId, Map.of()).forEach((key, row) -> rows.put(key, List.of(row.split(",", -1))));
        return rows;
    }

    /** How many people an audience holds. */
    public int audienceSize(String audienceId) {
        return audiences.getOrDefault(audienceId, Map.of()).size();
    }

    /** Whether rows are kept whole (false: only who is in, for million-row benchmarks). */
    public MetaStub keepRows(boolean keep) {
        keepRows = keep;
        return this;
    }

    /** How many times a person (their EXTERN_ID) was added, across audiences. */
    public int additions(String externId) {
        return additions.getOrDefault(externId, 0);
    }

    /** Rows received in add and remove calls. */
    public long rowsReceived() {
        return rowsReceived.get();
    }

    @Override
    public Object state() {
        Map<String, Object> state = new LinkedHashMap<>();
        audiences.forEach((id, rows) -> state.put(id, Map.of("rows", rows.size())));
        return Map.of("audiences", state, "rowsReceived", rowsReceived.get());
    }

    @Override
    protected void clearState() {
        audiences.clear();
        additions.clear();
        rowsReceived.set(0);
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(400, Map.of("error", Map.of("message", "Error validating access token: Session has expired",
                "type", "OAuthException", "code", 190, "error_subcode", 463, "fbtrace_id", "sandbox")));
    }

    @Override
    protected Reply handle(Call call) {
        String auth = call.header("Authorization");
        if ((auth == null || !auth.startsWith("Bearer ") || auth.length() < 12) && call.queryParam("access_token") == null) {
            call.violation("meta: no access token (Authorization: Bearer or access_token)");
        }
        var users = USERS.matcher(call.path);
        if (users.matches() && (call.method.equals("POST") || call.method.equals("DELETE"))) {
            return users(call, users.group(1));
        }
        var audience = AUDIENCE.matcher(call.path);
        if (audience.matches() && call.method.equals("GET")) {
            return Reply.json(200, Map.of("id", audience.group(1), "name", "sandbox audience",
                    "approximate_count_lower_bound", audiences.getOrDefault(audience.group(1), Map.of()).size()));
        }
        call.violation("meta: no " + call.method + " " + call.path + " in the Marketing API");
        return Reply.empty(404);
    }

    private Reply users(Call call, String audienceId) {
        if (!call.contentType().equals("application/json")) {
            call.violation("meta: expected application/json, got '" + call.contentType() + "'");
        }
        JsonNode body = readJson(call);
        JsonSchemas.check(call, "meta-users", body);
        List<String> schema = new ArrayList<>();
        body.path("payload").path("schema").forEach(k -> schema.add(k.asText()));
        List<List<String>> rows = new ArrayList<>();
        int index = 0;
        for (JsonNode row : body.path("payload").path("data")) {
            List<String> values = new ArrayList<>();
            row.forEach(v -> values.add(v.asText()));
            if (values.size() != schema.size()) {
                call.violation("meta: row " + index + " has " + values.size() + " values for " + schema.size() + " keys");
            }
            for (int i = 0; i < Math.min(values.size(), schema.size()); i++) {
                if (!PLAIN.contains(schema.get(i)) && !HASH.matcher(values.get(i)).matches()) {
                    call.violation("meta: row " + index + " " + schema.get(i) + " is not a SHA-256 hex (raw PII?)");
                }
            }
            rows.add(values);
            index++;
        }
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        int extern = schema.indexOf("EXTERN_ID");
        Map<String, String> held = audiences.computeIfAbsent(audienceId, id -> new ConcurrentHashMap<>());
        for (List<String> row : rows) {
            String key = extern >= 0 && !row.get(extern).isEmpty() ? row.get(extern) : String.join(",", row);
            if (call.method.equals("POST")) {
                held.put(key, keepRows ? String.join(",", row) : "");
                additions.merge(key, 1, Integer::sum);
            } else {
                held.remove(key);
            }
        }
        rowsReceived.addAndGet(rows.size());
        JsonNode session = body.path("session");
        return Reply.json(200, Map.of("audience_id", audienceId,
                "session_id", session.path("session_id").asLong(0), "num_received", rows.size(),
                "num_invalid_entries", 0, "invalid_entry_samples", Map.of()));
    }
}
