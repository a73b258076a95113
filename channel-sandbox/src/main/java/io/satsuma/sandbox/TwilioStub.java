package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio Messaging: every request is checked against Twilio's published OpenAPI document (path, method, Basic auth,
 * form encoding, fields); the Basic user must be the account in the path. Numbers that replied STOP answer error
 * 21610; accepted messages answer 201 with a message resource and are kept.
 */
public final class TwilioStub extends VendorStub {
    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages\\.json");
    private static final Pattern ACCOUNT = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})\\.json");

    /** A message Twilio accepted: to whom, from which sender, what it said, when. */
    public record Message(String sid, String to, String sender, String body, Instant at) {
    }

    private final OpenApiContract contract;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    TwilioStub(ObjectMapper json, Clock clock, OpenApiContract contract) {
        super("twilio", json, clock);
        this.contract = contract;
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public boolean contractChecked() {
        return contract != null;
    }

    @Override
    public Object state() {
        return Map.of("messages", messages.size());
    }

    @Override
    protected void clearState() {
        messages.clear();
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("code", 20003, "message", "Authenticate",
                "more_info", "https://www.twilio.com/docs/errors/20003", "status", 401));
    }

    @Override
    protected Reply handle(Call call) {
        if (contract != null) {
            contract.check(call);
        }
        Matcher messagesPath = MESSAGES.matcher(call.path);
        Matcher accountPath = ACCOUNT.matcher(call.path);
        String account = messagesPath.matches() ? messagesPath.group(1) : accountPath.matches() ? accountPath.group(1) : null;
        if (account != null && !account.equals(basicUser(call))) {
            call.violation("twilio: the Basic auth user must be the account SID of the path");
        }
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        if (accountPath.matches() && call.method.equals("GET")) {
            return Reply.json(200, Map.of("sid", account, "friendly_name", "sandbox account", "status", "active"));
        }
        if (!messagesPath.matches() || !call.method.equals("POST")) {
            call.violation("twilio: " + call.method + " " + call.path + " is not simulated by the sandbox");
            return Reply.empty(400);
        }
        Map<String, List<String>> form = call.form();
        String to = first(form, "To");
        String sender = form.containsKey("MessagingServiceSid") ? first(form, "MessagingServiceSid") : first(form, "From");
        if (to == null || !to.matches("\\+[1-9][0-9]{6,14}")) {
            call.violation("twilio: To must be an E.164 number");
        }
        if (sender == null) {
            call.violation("twilio: From or MessagingServiceSid is required");
        }
        String body = first(form, "Body");
        if (body == null || body.isEmpty() || body.length() > 1600) {
            call.violation("twilio: Body must have 1 to 1,600 characters");
        }
        if (!call.violations.isEmpty()) {
            return Reply.empty(400);
        }
        if (faults().stoppedNumbers.contains(to)) {
            return Reply.json(400, Map.of("code", 21610, "message", "Attempt to send to unsubscribed recipient",
                    "more_info", "https://www.twilio.com/docs/errors/21610", "status", 400));
        }
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        messages.add(new Message(sid, to, sender, body, clock.instant()));
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("sid", sid);
        resource.put("account_sid", account);
        resource.put("to", to);
        resource.put("body", body);
        resource.put("status", "queued");
        resource.put("num_segments", "1");
        resource.put("direction", "outbound-api");
        return Reply.json(201, resource);
    }

    private static String first(Map<String, List<String>> form, String field) {
        List<String> values = form.get(field);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String basicUser(Call call) {
        String auth = call.header("Authorization");
        if (auth == null || !auth.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        return decoded.substring(0, Math.max(0, decoded.indexOf(':')));
    }
}
