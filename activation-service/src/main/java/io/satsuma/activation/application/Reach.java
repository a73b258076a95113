package io.satsuma.activation.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.domain.AudienceFormat;
import io.satsuma.activation.domain.AudienceMember;
import io.satsuma.activation.domain.Channel;
import io.satsuma.activation.domain.Contact;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.MessageTemplate;
import io.satsuma.activation.domain.OutgoingMessage;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.Templates;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether and how a sync reaches a person, decided at send time from activation's own projections: the audience
 * member a vendor gets, or the rendered message and its recipients, or why nothing goes (no consent, nothing to
 * reach them by, held out, erased). Preview and sending share it, so a preview shows exactly what would be sent.
 */
@ApplicationScoped
public class Reach {
    private final Templates templates;
    private final ObjectMapper json;

    Reach(Templates templates, ObjectMapper json) {
        this.templates = templates;
        this.json = json;
    }

    /** An audience member, or why the person must not be in the audience. */
    public record Audience(AudienceMember member, String whyNot) {
    }

    public Audience audience(Sync sync, DestinationType type, Contact contact, boolean reachableMember) {
        if (!reachableMember) {
            return new Audience(null, "not in the segment, or held out");
        }
        if (contact == null) {
            return new Audience(null, "no contact points known yet");
        }
        if (!contact.active()) {
            return new Audience(null, "profile " + contact.status().name().toLowerCase());
        }
        if (!sync.settings().consentPolicy().allows(contact, type.channel())) {
            return new Audience(null, "no " + type.channel().consentKey() + " consent");
        }
        Optional<AudienceMember> member = AudienceFormat.of(type).member(contact, sync.settings());
        return member.map(m -> new Audience(m, null))
                .orElseGet(() -> new Audience(null, "nothing " + type.id() + " can match (no usable email, phone or id)"));
    }

    /** A message and who gets it, or why nothing is sent. */
    public record Message(OutgoingMessage message, List<String> recipients, String whyNot) {
    }

    public Message message(Sync sync, Destination destination, Delivery d, Contact contact) {
        DestinationType type = destination.type();
        if (contact != null && !contact.active()) {
            return skip("profile " + contact.status().name().toLowerCase());
        }
        if (type == DestinationType.WEBHOOK) {
            return new Message(new OutgoingMessage(d.changeId(), d.profileId(), null, List.of(), null,
                    webhookBody(sync, d, contact), Map.of()), List.of(destination.setting("url").orElseThrow()), null);
        }
        if (contact == null) {
            return skip("no contact points known yet");
        }
        if (!sync.settings().consentPolicy().allows(contact, type.channel())) {
            return skip("no " + type.channel().consentKey() + " consent");
        }
        Map<String, Object> data = templateData(contact, d);
        MessageTemplate template = sync.settings().template();
        String body = templates.render(template.body(), data);
        if (type == DestinationType.TWILIO_SMS) {
            Optional<String> phone = contact.first("phone");
            if (phone.isEmpty()) {
                return skip("no phone number in E.164");
            }
            if (body.isBlank()) {
                return skip("the template rendered an empty body");
            }
            return new Message(new OutgoingMessage(d.changeId(), d.profileId(), phone.get(), List.of(), null,
                    body.length() > 1600 ? body.substring(0, 1600) : body, Map.of()), List.of(phone.get()), null);
        }
        List<String> tokens = new ArrayList<>(contact.pushTokens().keySet());
        if (tokens.isEmpty()) {
            return skip("no usable push token");
        }
        Map<String, String> rendered = new LinkedHashMap<>();
        template.data().forEach((k, v) -> rendered.put(k, templates.render(v, data)));
        return new Message(new OutgoingMessage(d.changeId(), d.profileId(), null, tokens,
                templates.render(template.title(), data), body, rendered), tokens, null);
    }

    private static Message skip(String why) {
        return new Message(null, List.of(), why);
    }

    /** What a template sees: {@code traits}, {@code profile.id}, {@code segment.id} and {@code segment.name}. */
    static Map<String, Object> templateData(Contact contact, Delivery d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("traits", contact.traits());
        data.put("profile", Map.of("id", d.profileId()));
        data.put("segment", Map.of("id", d.segmentId(), "name", d.segmentName() == null ? "" : d.segmentName()));
        return data;
    }

    /**
     * The webhook payload: the change, and the person's contact points, each only with its channel's consent (email,
     * phone, push tokens, advertising ids), and the traits the sync maps. Without a contact yet, only ids.
     */
    private String webhookBody(Sync sync, Delivery d, Contact contact) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", d.changeId());
        payload.put("type", "ENTERED".equals(d.change()) ? "segment.entered" : "segment.exited");
        payload.put("workspace", d.workspace());
        payload.put("segment", Map.of("id", d.segmentId(), "name", d.segmentName() == null ? "" : d.segmentName()));
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", d.profileId());
        if (contact != null) {
            Map<String, Object> identifiers = new LinkedHashMap<>();
            contact.first("user_id").ifPresent(id -> identifiers.put("userId", id));
            gated(contact, sync, Channel.EMAIL, "email", identifiers, contact.all("email"));
            gated(contact, sync, Channel.SMS, "phone", identifiers, contact.all("phone"));
            gated(contact, sync, Channel.PUSH, "deviceTokens", identifiers, List.copyOf(contact.pushTokens().keySet()));
            gated(contact, sync, Channel.ADS, "advertisingIds", identifiers, contact.all("advertising_id"));
            profile.put("identifiers", identifiers);
            Map<String, Object> traits = new LinkedHashMap<>();
            sync.settings().mapping().forEach((field, path) -> contact.firstTrait(path).ifPresent(v -> traits.put(field, v)));
            profile.put("traits", traits);
        }
        payload.put("profile", profile);
        payload.put("occurredAt", d.changedAt().toString());
        payload.put("sequence", d.sequence());
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void gated(Contact contact, Sync sync, Channel channel, String field, Map<String, Object> into,
                              List<String> values) {
        if (!values.isEmpty() && sync.settings().consentPolicy().allows(contact, channel)) {
            into.put(field, field.equals("email") || field.equals("phone") ? values.get(0) : values);
        }
    }

    /** A stand-in delivery for previews: the person entering the segment now. */
    static Delivery previewDelivery(Sync sync, String profileId, Instant now) {
        return new Delivery(0, sync.workspace(), sync.id(), sync.destinationId(), "preview", sync.segmentId(), null,
                profileId, "ENTERED", now, 0, Delivery.PENDING, 0, null);
    }
}
