package io.satsuma.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON condition language into a {@link Condition}, collecting every error with the JSON
 * pointer of its node (so an editor can underline it). The node kinds:
 *
 * <pre>
 * {"all": [ ... ]}   {"any": [ ... ]}   {"not": { ... }}
 * {"trait": "plan", "op": "eq", "value": "gold"}
 * {"event": "Order Completed", "aggregate": "count", "within": "P30D", "op": "gte", "value": 1}
 * {"event": "Order Completed", "aggregate": "sum", "property": "revenue", "within": "P90D", "op": "gt", "value": 100}
 * </pre>
 */
public final class ConditionParser {
    public static final int MAX_DEPTH = 12;
    public static final int MAX_NODES = 200;
    /** Matches the retention of {@code satsuma.profile-events.v1}: older events cannot be replayed. */
    public static final Duration MAX_WINDOW = Duration.ofDays(400);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KINDS = Set.of("all", "any", "not", "trait", "event");

    /** The condition, or the errors that prevent it. */
    public record Result(Condition condition, List<ConditionError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private final List<ConditionError> errors = new ArrayList<>();
    private int nodes;

    private ConditionParser() {
    }

    public static Result parse(JsonNode json) {
        ConditionParser parser = new ConditionParser();
        Condition condition = parser.node(json, "", 1);
        return new Result(parser.errors.isEmpty() ? condition : null, List.copyOf(parser.errors));
    }

    private Condition node(JsonNode json, String pointer, int depth) {
        if (++nodes > MAX_NODES) {
            if (nodes == MAX_NODES + 1) {
                error(pointer, "a condition may have at most " + MAX_NODES + " nodes");
            }
            return null;
        }
        if (depth > MAX_DEPTH) {
            error(pointer, "conditions may nest at most " + MAX_DEPTH + " levels deep");
            return null;
        }
        if (json == null || !json.isObject()) {
            error(pointer, "must be an object with one of: " + String.join(", ", KINDS.stream().sorted().toList()));
            return null;
        }
        if (json.has("all") || json.has("any")) {
            String kind = json.has("all") ? "all" : "any";
            JsonNode items = json.get(kind);
            if (!items.isArray() || items.isEmpty()) {
                error(pointer + "/" + kind, "must be a non-empty array of conditions");
                return null;
            }
            List<Condition> children = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                children.add(node(items.get(i), pointer + "/" + kind + "/" + i, depth + 1));
            }
            return kind.equals("all") ? new Condition.All(children) : new Condition.Any(children);
        }
        if (json.has("not")) {
            return new Condition.Not(node(json.get("not"), pointer + "/not", depth + 1));
        }
        if (json.has("trait")) {
            return trait(json, pointer);
        }
        if (json.has("event")) {
            return event(json, pointer);
        }
        error(pointer, "unknown condition; expected one of: " + String.join(", ", KINDS.stream().sorted().toList()));
        return null;
    }

    private Condition trait(JsonNode json, String pointer) {
        String trait = json.get("trait").asText("");
        if (!json.get("trait").isTextual() || trait.isBlank()) {
            error(pointer + "/trait", "must be a non-empty trait name");
        }
        Operator op = operator(json, pointer);
        Object value = null;
        if (op != null && !op.isUnary()) {
            if (!json.has("value") || json.get("value").isNull()) {
                error(pointer + "/value", "operator '" + op.json() + "' needs a value");
            } else {
                JsonNode v = json.get("value");
                if (op == Operator.IN && !v.isArray()) {
                    error(pointer + "/value", "operator 'in' needs an array of values");
                } else if (op.isOrdering() && !(v.isNumber() || v.isTextual())) {
                    error(pointer + "/value", "operator '" + op.json() + "' compares numbers or strings");
                }
                value = JSON.convertValue(v, Object.class);
            }
        }
        return new Condition.TraitComparison(trait, op, value);
    }

    private Condition event(JsonNode json, String pointer) {
        String event = json.get("event").asText("");
        if (!json.get("event").isTextual() || event.isBlank()) {
            error(pointer + "/event", "must be a non-empty event name");
        }
        Condition.Aggregate aggregate = null;
        String aggregateName = json.path("aggregate").asText("count");
        switch (aggregateName) {
            case "count" -> aggregate = Condition.Aggregate.COUNT;
            case "sum" -> aggregate = Condition.Aggregate.SUM;
            default -> error(pointer + "/aggregate", "must be 'count' or 'sum'");
        }
        String property = json.path("property").isTextual() ? json.get("property").asText() : null;
        if (aggregate == Condition.Aggregate.SUM && (property == null || property.isBlank())) {
            error(pointer + "/property", "a 'sum' needs the numeric event property to add up");
        }
        Duration within = null;
        if (!json.path("within").isTextual()) {
            error(pointer + "/within", "needs a rolling window as an ISO-8601 duration, e.g. \"P30D\" or \"PT1H\"");
        } else {
            try {
                within = Duration.parse(json.get("within").asText());
                if (within.isNegative() || within.isZero()) {
                    error(pointer + "/within", "must be a positive duration");
                } else if (within.compareTo(MAX_WINDOW) > 0) {
                    error(pointer + "/within", "may be at most " + MAX_WINDOW.toDays() + " days (event retention)");
                }
            } catch (DateTimeParseException e) {
                error(pointer + "/within", "is not an ISO-8601 duration: " + json.get("within").asText());
            }
        }
        Operator op = operator(json, pointer);
        BigDecimal value = null;
        if (op != null) {
            if (!op.isOrdering() && op != Operator.EQ && op != Operator.NE) {
                error(pointer + "/op", "an event aggregate is compared with eq, ne, gt, gte, lt or lte");
            } else if (!json.path("value").isNumber()) {
                error(pointer + "/value", "an event aggregate is compared with a number");
            } else {
                value = json.get("value").decimalValue();
            }
        }
        return new Condition.EventAggregate(event, aggregate, property, within, op, value);
    }

    private Operator operator(JsonNode json, String pointer) {
        String name = json.path("op").asText(null);
        Operator op = name == null ? null : Operator.fromJson(name);
        if (op == null) {
            List<String> names = java.util.Arrays.stream(Operator.values()).map(Operator::json).toList();
            error(pointer + "/op", "must be one of " + String.join(", ", names));
        }
        return op;
    }

    private void error(String pointer, String message) {
        errors.add(new ConditionError(pointer.isEmpty() ? "" : pointer, message));
    }
}
