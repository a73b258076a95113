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
 * Twilio Messaging: {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, form-encoded, Basic auth (account
 * SID and auth token), {@code To} in E.164 and {@code MessagingServiceSid} or {@code From}. Error 21610 (the recipient
 * replied STOP) means opted out, never retried; 20003 and 401/403 are refused credentials.
 */
@ApplicationScoped
class TwilioSms implements MessageConnector {
    static final int OPTED_OUT = 21610;
    private final ChannelHttp http;

    TwilioSms(ChannelHttp http) {
        this.http = http;
    }

    @Override
    public DestinationType type() {
        return DestinationType.TWILIO_SMS;
    }

    @Override
    public CallOutcome send(Target target, OutgoingMessage message, String recipient) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", recipient);
        target.destination().setting("messagingServiceSid").ifPresentOrElse(sid -> form.put("MessagingServiceSid", sid),
                () -> form.put("From", target.config("from")));
        form.put("Body", message.body());
        HttpRequest request = request(target, "/Messages.json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(ChannelHttp.formBody(form)).build();
        return call(target, request);
    }

    @Override
    public CallOutcome test(Target target) {
        return call(target, request(target, ".json").GET().build());
    }

    private HttpRequest.Builder request(Target target, String suffix) {
        String sid = target.config("accountSid");
        return http.request(target.destination().baseUrl() + "/2010-04-01/Accounts/" + sid + suffix)
                .header("Authorization", ChannelHttp.basic(sid, target.secret("authToken")));
    }

    private CallOutcome call(Target target, HttpRequest request) {
        return ChannelHttp.outcomeOf(() -> {
            ChannelHttp.Reply reply = http.send(target.destination().id(), request);
            if (reply.ok()) {
                return CallOutcome.Done.all();
            }
            JsonNode error = reply.json(http.mapper());
            int code = error.path("code").asInt(0);
            if (code == OPTED_OUT) {
                return new CallOutcome.OptedOut("Twilio 21610: the recipient unsubscribed (STOP)");
            }
            if (code == 20003) {
                return new CallOutcome.Unauthorized("Twilio 20003: authentication failed");
            }
            if (reply.status() == 400 && code != 0) {
                return new CallOutcome.Rejected("Twilio " + code + " (HTTP 400)");
            }
            return ChannelHttp.classify("Twilio", reply);
        });
    }
}
