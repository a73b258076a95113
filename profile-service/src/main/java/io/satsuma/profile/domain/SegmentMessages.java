package io.satsuma.profile.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.satsuma.contracts.event.v1.IngestedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads Segment tracking-API messages (track, identify, page, screen, alias, group) into
 * {@link IngestedEvent}s, or says precisely what is wrong with each one.
 *
 * <p>Timestamps are corrected for the client's clock skew the way Segment does it:
 * {@code timestamp + (receivedAt − sentAt)} when the client sent both.
 */
public final class SegmentMessages {
    /** Segment's limit for one message. */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024;
    /** Segment's limit for one batch request. */
    public static final int MAX_BATCH_BYTES = 500 * 1024;

    public static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "alias", "group");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentMessages() {
    }

    /** The outcome for one message: the event, or why it was refused. */
    public record Parsed(IngestedEvent event, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    /**
     * @param message      the message object
     * @param pointer      where it sits in the request body ({@code ""} or {@code /batch/3})
     * @param impliedType  the endpoint's type ({@code /v1/track}), or null for batch items
     * @param batch        the enclosing batch object (its {@code sentAt}, {@code context}), or null
     */
    public static Parsed parse(JsonNode message, String pointer, String impliedType, JsonNode batch,
                               Instant receivedAt, String sourceId) {
        return parse(message, pointer, impliedType, batch, receivedAt, sourceId, true);
    }

    /**
     * @param checkSize whether the message may exceed {@link #MAX_MESSAGE_BYTES}: false when the whole
     *                  request body is smaller, which spares re-serialising every message to measure it
     */
    public static Parsed parse(JsonNode message, String pointer, String impliedType, JsonNode batch,
                               Instant receivedAt, String sourceId, boolean checkSize) {
        List<Violation> violations = new ArrayList<>();
        if (message == null || !message.isObject()) {
            return new Parsed(null, List.of(new Violation(pointer, "must be a JSON object")));
        }
        if (checkSize) {
            int size = message.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_MESSAGE_BYTES) {
                violations.add(new Violation(pointer, "message is " + size + " bytes; the limit is " + MAX_MESSAGE_BYTES));
            }
        }
        String type = impliedType != null ? impliedType : text(message, "type");
        if (type == null || !TYPES.contains(type)) {
            violations.add(new Violation(pointer + "/type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList())));
        }
        String userId = id(message, "userId", pointer, violations);
        String anonymousId = id(message, "anonymousId", pointer, violations);
        if (userId == null && anonymousId == null) {
            violations.add(new Violation(pointer + "/userId", "userId or anonymousId is required"));
        }
        String event = text(message, "event");
        if ("track".equals(type) && (event == null || event.isBlank())) {
            violations.add(new Violation(pointer + "/event", "a track call needs a non-empty event name"));
        }
        if (("page".equals(type) || "screen".equals(type)) && event == null) {
            event = text(message, "name");
        }
        String previousId = text(message, "previousId");
        if ("alias".equals(type) && (previousId == null || previousId.isBlank())) {
            violations.add(new Violation(pointer + "/previousId", "an alias call needs previousId"));
        }
        Map<String, Object> properties = object(message, "properties", pointer, violations);
        Map<String, Object> traits = object(message, "traits", pointer, violations);
        Map<String, Object> context = object(message, "context", pointer, violations);
        if (context == null && batch != null && batch.get("context") instanceof ObjectNode batchContext) {
            context = JSON.convertValue(batchContext, Map.class);
        }
        if (traits == null && context != null && context.get("traits") instanceof Map<?, ?> contextTraits) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fromContext = (Map<String, Object>) contextTraits;
            traits = fromContext;
        }
        Instant timestamp = instant(message, "timestamp", pointer, violations);
        Instant sentAt = instant(message, "sentAt", pointer, violations);
        if (sentAt == null && batch != null) {
            sentAt = instant(batch, "sentAt", "", violations);
        }
        if (!violations.isEmpty()) {
            return new Parsed(null, violations);
        }
        String messageId = text(message, "messageId");
        if (messageId == null || messageId.isBlank()) {
            messageId = "satsuma-" + UUID.randomUUID();
        }
        Instant corrected = timestamp == null ? receivedAt
                : sentAt == null ? timestamp : timestamp.plus(Duration.between(sentAt, receivedAt));
        return new Parsed(new IngestedEvent(messageId, type, event, userId, anonymousId, previousId,
                traits, properties, context, corrected, receivedAt, sourceId), List.of());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static String id(JsonNode message, String field, String pointer, List<Violation> violations) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            violations.add(new Violation(pointer + "/" + field, "must be a string or a number"));
            return null;
        }
        String text = value.asText().trim();
        if (text.length() > 256) {
            violations.add(new Violation(pointer + "/" + field, "must be at most 256 characters"));
        }
        return text.isEmpty() ? null : text;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(JsonNode message, String field, String pointer, List<Violation> violations) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            violations.add(new Violation(pointer + "/" + field, "must be a JSON object"));
            return null;
        }
        return JSON.convertValue(value, Map.class);
    }

    private static Instant instant(JsonNode node, String field, String pointer, List<Violation> violations) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException again) {
                violations.add(new Violation(pointer + "/" + field, "must be an ISO-8601 date-time, got '" + text + "'"));
                return null;
            }
        }
    }
}
