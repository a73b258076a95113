package io.satsuma.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the JSON condition language into a {@link Condition}, collecting every error with the JSON
 * pointer of its node (so an editor can underline it). The node kinds:
 *
 * <pre>
 * {"all": [ ... ]}   {"any": [ ... ]}   {"not": { ... }}   {"segment": "<id of another segment>"}
 * {"trait": "plan", "op": "eq", "value": "gold"}
 * {"trait": "signed_up_at", "op": "older_than", "value": "P30D"}
 * {"event": "Order Completed", "aggregate": "count", "within": "P30D", "op": "gte", "value": 1}
 * {"event": "Order Completed", "aggregate": "sum", "property": "revenue",
 *  "where": [{"property": "currency", "op": "eq", "value": "EUR"}],
 *  "from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z", "op": "gt", "value": 100}
 * {"reorder": "due", "within": "P365D", "product": "coffee-1kg"}   (product optional)
 * {"trait": "$predicted.pAlive", "op": "lt", "value": 0.3}   (predicted traits: see {@link PredictedTrait})
 * </pre>
 */
public final class ConditionParser {
    public static final int MAX_DEPTH = 12;
    public static final int MAX_NODES = 200;
    public static final int MAX_SEQUENCE_STEPS = 8;
    /** Matches the retention of {@code satsuma.profile-events.v1}: older events cannot be replayed. */
    public static final Duration MAX_WINDOW = Duration.ofDays(400);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KINDS = Set.of("all", "any", "not", "trait", "event", "segment", "everyone",
            "sequence", "reorder");
    private static final Set<Operator> AGGREGATE_OPERATORS = Set.of(Operator.EQ, Operator.NE, Operator.GT, Operator.GTE,
            Operator.LT, Operator.LTE, Operator.BETWEEN);

    /** The condition, or the errors that prevent it; {@code references}: segment id → pointer of its first reference. */
    public record Result(Condition condition, List<ConditionError> errors, Map<String, String> references) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private final List<ConditionError> errors = new ArrayList<>();
    private final Map<String, String> references = new LinkedHashMap<>();
    private int nodes;

    private ConditionParser() {
    }

    public static Result parse(JsonNode json) {
        ConditionParser parser = new ConditionParser();
        Condition condition = parser.node(json, "", 1);
        return new Result(parser.errors.isEmpty() ? condition : null, List.copyOf(parser.errors),
                Map.copyOf(parser.references));
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
        if (json.has("sequence")) {
            return sequence(json, pointer);
        }
        if (json.has("reorder")) {
            return reorder(json, pointer);
        }
        if (json.has("everyone")) {
            if (!json.get("everyone").isBoolean() || !json.get("everyone").asBoolean()) {
                error(pointer + "/everyone", "must be true");
            }
            return new Condition.Everyone();
        }
        if (json.has("segment")) {
            String segmentId = name(json, "segment", pointer);
            references.putIfAbsent(segmentId, pointer + "/segment");
            return new Condition.SegmentReference(segmentId, null);
        }
        error(pointer, "unknown condition; expected one of: " + String.join(", ", KINDS.stream().sorted().toList()));
        return null;
    }

    private Condition trait(JsonNode json, String pointer) {
        String trait = name(json, "trait", pointer);
        if (PredictedTrait.isPredicted(trait)) {
            return predicted(json, trait, pointer);
        }
        Operator op = operator(json, pointer);
        Object value = op == null ? null : operand(json, op, pointer, true);
        return new Condition.TraitComparison(trait, op, value);
    }

    /**
     * A predicted trait: numbers compared with gt, gte, lt, lte or between (and exists/missing: a profile without an
     * order has none); {@code topCategories} with contains, exists or missing.
     */
    private Condition predicted(JsonNode json, String trait, String pointer) {
        PredictedTrait.Parsed parsed = PredictedTrait.parse(trait);
        if (parsed.error() != null) {
            error(pointer + "/trait", parsed.error());
        }
        Operator op = operator(json, pointer);
        if (op == null || parsed.trait() == null) {
            return null;
        }
        boolean list = parsed.trait().metric() == PredictedTrait.Metric.TOP_CATEGORIES;
        Object value = null;
        if (list && op != Operator.CONTAINS && !op.isUnary()) {
            error(pointer + "/op", "'" + trait + "' is a list of categories: compare it with contains, exists or missing");
        } else if (!list && !op.isOrdering() && !op.isUnary()) {
            error(pointer + "/op", "'" + trait + "' is a number: compare it with gt, gte, lt, lte, between, exists or missing");
        } else if (op.isOrdering()) {
            value = numberOrRange(json, op, pointer, "'" + trait + "' is compared with a number");
        } else if (op == Operator.CONTAINS) {
            if (!json.path("value").isTextual() || json.get("value").asText().isBlank()) {
                error(pointer + "/value", "'contains' needs a category name");
            } else {
                value = json.get("value").asText();
            }
        }
        return new Condition.Predicted(trait, parsed.trait(), op, value, null);
    }

    /** A number, or for {@code between} an inclusive [low, high] of numbers; null (and an error) otherwise. */
    private Object numberOrRange(JsonNode json, Operator op, String pointer, String notANumber) {
        JsonNode v = json.path("value");
        if (op == Operator.BETWEEN) {
            if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
                error(pointer + "/value", "'between' needs [low, high] numbers, inclusive");
                return null;
            }
            return List.of(v.get(0).decimalValue(), v.get(1).decimalValue());
        }
        if (!v.isNumber()) {
            error(pointer + "/value", notANumber);
            return null;
        }
        return v.decimalValue();
    }

    /** The operand of a comparison, validated for its operator (relative dates only where allowed). */
    private Object operand(JsonNode json, Operator op, String pointer, boolean relativeDatesAllowed) {
        if (op.isUnary()) {
            return null;
        }
        JsonNode v = json.get("value");
        String at = pointer + "/value";
        if (v == null || v.isNull()) {
            error(at, "operator '" + op.json() + "' needs a value");
            return null;
        }
        if (op.isRelativeDate()) {
            if (!relativeDatesAllowed) {
                error(pointer + "/op", "'" + op.json() + "' applies to timestamp traits only");
                return null;
            }
            return duration(v, at);
        }
        switch (op) {
            case IN, NOT_IN -> {
                if (!v.isArray() || v.isEmpty()) {
                    error(at, "operator '" + op.json() + "' needs a non-empty array of values");
                }
            }
            case BETWEEN -> {
                if (!v.isArray() || v.size() != 2 || !scalar(v.get(0)) || !scalar(v.get(1))) {
                    error(at, "operator 'between' needs [low, high] (numbers, strings or timestamps), inclusive");
                }
            }
            case GT, GTE, LT, LTE -> {
                if (!(v.isNumber() || v.isTextual())) {
                    error(at, "operator '" + op.json() + "' compares numbers, strings or timestamps; got " + kind(v));
                }
            }
            case STARTS_WITH, ENDS_WITH, MATCHES -> {
                if (!v.isTextual()) {
                    error(at, "operator '" + op.json() + "' needs a string");
                } else if (op == Operator.MATCHES) {
                    try {
                        return Pattern.compile(v.asText());
                    } catch (PatternSyntaxException e) {
                        error(at, "is not a valid regular expression: " + e.getDescription());
                        return null;
                    }
                }
            }
            default -> {
            }
        }
        return JSON.convertValue(v, Object.class);
    }

    private Condition event(JsonNode json, String pointer) {
        String event = name(json, "event", pointer);
        Condition.Aggregate aggregate = null;
        String aggregateName = json.path("aggregate").asText("count");
        try {
            aggregate = Condition.Aggregate.valueOf(aggregateName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error(pointer + "/aggregate", "must be one of " + String.join(", ",
                    Arrays.stream(Condition.Aggregate.values()).map(Condition.Aggregate::json).toList()));
        }
        String property = json.path("property").isTextual() ? json.get("property").asText() : null;
        if (aggregate != null && aggregate != Condition.Aggregate.COUNT && !aggregate.isOccurrence()
                && (property == null || property.isBlank())) {
            error(pointer + "/property", "'" + aggregate.json() + "' needs the event property to aggregate");
        }
        List<Condition.PropertyFilter> where = filters(json, pointer);
        Duration within = null;
        Instant from = null;
        Instant to = null;
        boolean rolling = json.has("within");
        boolean absolute = json.has("from") || json.has("to");
        if (rolling == absolute) {
            error(pointer + "/within", "needs either a rolling window \"within\" (ISO-8601 duration, e.g. \"P30D\") "
                    + "or an absolute range \"from\" and \"to\" (ISO-8601 instants)");
        } else if (rolling) {
            within = duration(json.get("within"), pointer + "/within");
            if (within != null && within.compareTo(MAX_WINDOW) > 0) {
                error(pointer + "/within", "may be at most " + MAX_WINDOW.toDays() + " days (event retention)");
            }
        } else {
            from = instant(json.get("from"), pointer + "/from");
            to = instant(json.get("to"), pointer + "/to");
            if (from != null && to != null) {
                if (!to.isAfter(from)) {
                    error(pointer + "/to", "must be after 'from'");
                } else if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
                    error(pointer + "/to", "the range may span at most " + MAX_WINDOW.toDays() + " days (event retention)");
                }
            }
        }
        Operator op = operator(json, pointer);
        Object value = null;
        if (op != null && aggregate != null && aggregate.isOccurrence()) {
            if (!op.isRelativeDate() && !op.isOrdering() && !op.isUnary()) {
                error(pointer + "/op", "a first/last occurrence is compared with older_than, within_last, exists, missing, "
                        + "gt, gte, lt, lte or between (timestamps)");
            } else {
                value = operand(json, op, pointer, true);
            }
        } else if (op != null) {
            if (!AGGREGATE_OPERATORS.contains(op)) {
                error(pointer + "/op", "an event aggregate is compared with eq, ne, gt, gte, lt, lte or between");
            } else {
                value = numberOrRange(json, op, pointer, "an event aggregate is compared with a number");
            }
        }
        return new Condition.EventAggregate(event, aggregate, property, where, within, from, to, op, value);
    }

    private Condition sequence(JsonNode json, String pointer) {
        JsonNode steps = json.get("sequence");
        List<Condition.EventMatcher> matchers = new ArrayList<>();
        if (!steps.isArray() || steps.size() < 2 || steps.size() > MAX_SEQUENCE_STEPS) {
            error(pointer + "/sequence", "must be 2 to " + MAX_SEQUENCE_STEPS
                    + " steps in order, each {\"event\": name, \"where\"?: [...]}");
        } else {
            for (int i = 0; i < steps.size(); i++) {
                matchers.add(new Condition.EventMatcher(name(steps.get(i), "event", pointer + "/sequence/" + i),
                        filters(steps.get(i), pointer + "/sequence/" + i)));
            }
        }
        Duration within = duration(json.get("within"), pointer + "/within");
        Duration during = duration(json.get("during"), pointer + "/during");
        if (within != null && during != null && within.plus(during).compareTo(MAX_WINDOW) > 0) {
            error(pointer + "/during", "'during' plus 'within' may be at most " + MAX_WINDOW.toDays() + " days (event retention)");
        }
        String op = json.path("op").asText("");
        if (!op.equals("followed_by") && !op.equals("not_followed_by")) {
            error(pointer + "/op", "must be 'followed_by' or 'not_followed_by'");
        }
        return matchers.size() < 2 ? null : new Condition.Sequence(matchers, within, during, op.equals("not_followed_by"));
    }

    private Condition reorder(JsonNode json, String pointer) {
        if (!"due".equals(json.get("reorder").asText(""))) {
            error(pointer + "/reorder", "must be \"due\": a product bought again at its usual interval is due");
        }
        Duration within = duration(json.get("within"), pointer + "/within");
        if (within != null && within.compareTo(MAX_WINDOW) > 0) {
            error(pointer + "/within", "may be at most " + MAX_WINDOW.toDays() + " days (event retention)");
        }
        String product = null;
        if (json.has("product")) {
            product = name(json, "product", pointer);
        }
        return new Condition.ReorderDue(within, product);
    }

    private List<Condition.PropertyFilter> filters(JsonNode json, String pointer) {
        if (!json.has("where")) {
            return List.of();
        }
        JsonNode where = json.get("where");
        if (!where.isArray()) {
            error(pointer + "/where", "must be an array of {property, op, value} filters");
            return List.of();
        }
        List<Condition.PropertyFilter> filters = new ArrayList<>();
        for (int i = 0; i < where.size(); i++) {
            String at = pointer + "/where/" + i;
            JsonNode filter = where.get(i);
            if (!filter.isObject()) {
                error(at, "must be an object {property, op, value}");
                continue;
            }
            String property = name(filter, "property", at);
            Operator op = operator(filter, at);
            Object value = op == null ? null : operand(filter, op, at, false);
            filters.add(new Condition.PropertyFilter(property, op, value));
        }
        return filters;
    }

    private String name(JsonNode json, String field, String pointer) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            error(pointer + "/" + field, "must be a non-empty name");
            return "";
        }
        return node.asText();
    }

    private Duration duration(JsonNode node, String pointer) {
        if (node == null || !node.isTextual()) {
            error(pointer, "must be an ISO-8601 duration, e.g. \"P30D\" or \"PT1H\"");
            return null;
        }
        try {
            Duration d = Duration.parse(node.asText());
            if (d.isNegative() || d.isZero()) {
                error(pointer, "must be a positive duration");
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            error(pointer, "is not an ISO-8601 duration: " + node.asText());
            return null;
        }
    }

    private Instant instant(JsonNode node, String pointer) {
        Instant at = node == null ? null : Operator.instant(node.asText(null));
        if (at == null) {
            error(pointer, "must be an ISO-8601 instant, e.g. \"2026-11-01T00:00:00Z\"");
        }
        return at;
    }

    private Operator operator(JsonNode json, String pointer) {
        String name = json.path("op").asText(null);
        Operator op = name == null ? null : Operator.fromJson(name);
        if (op == null) {
            List<String> names = Arrays.stream(Operator.values()).map(Operator::json).toList();
            error(pointer + "/op", "must be one of " + String.join(", ", names));
        }
        return op;
    }

    private static boolean scalar(JsonNode node) {
        return node.isNumber() || node.isTextual();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private void error(String pointer, String message) {
        errors.add(new ConditionError(pointer, message));
    }
}
