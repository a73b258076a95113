package io.satsuma.segment.adapter.persistence;

import io.satsuma.segment.domain.Condition;
import io.satsuma.segment.domain.Operator;
import io.satsuma.segment.domain.Segment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A SQL predicate over {@code profile_state p} that every profile a condition holds for, now or at any
 * later instant with no new input, satisfies: the backfill reads and evaluates only those profiles (and
 * current members), and lets PostgreSQL skip the rest where they lie. It is a necessary condition, never
 * the condition itself: the domain evaluation still decides. Where a node cannot be narrowed soundly
 * (negations, "ne" on anything but plain text, aggregates that hold over no events) it is simply {@code TRUE}.
 */
final class CandidateFilter {
    private final List<Object> params = new ArrayList<>();
    private final Instant now;
    private final Range range;

    private CandidateFilter(Instant now, Range range) {
        this.now = now;
        this.range = range;
    }

    /** The profiles considered: a workspace's ids in ({@code after}, {@code last}]. */
    record Range(String workspace, String after, String last) {
    }

    /** The predicate (null when it cannot narrow anything) and its parameters, in order. */
    record Predicate(String sql, List<Object> params) {
    }

    /**
     * The profiles of the range that the segments could hold now or later with no new input, or that are
     * members of one of them now; a null predicate when nothing can be narrowed (every profile is one).
     */
    static Predicate of(Collection<Segment> segments, Instant now, Range range) {
        CandidateFilter filter = new CandidateFilter(now, range);
        List<String> any = new ArrayList<>();
        for (Segment segment : segments) {
            String sql = filter.node(segment.condition());
            if (sql == null) {
                return new Predicate(null, List.of());
            }
            any.add(sql);
        }
        any.add(filter.isMember(segments.stream().map(Segment::id).toList()));
        return new Predicate(or(any), List.copyOf(filter.params));
    }

    /** Whether {@link #of} narrows anything for these segments. */
    static boolean narrows(Collection<Segment> segments, Instant now) {
        return of(segments, now, new Range("", "", "")).sql() != null;
    }

    /** SQL for the node, or null for TRUE. */
    private String node(Condition c) {
        if (c instanceof Condition.All all) {
            List<String> parts = all.conditions().stream().map(this::node).filter(s -> s != null).toList();
            return parts.isEmpty() ? null : "(" + String.join(" AND ", parts) + ")";
        }
        if (c instanceof Condition.Any any) {
            List<String> parts = new ArrayList<>();
            for (Condition x : any.conditions()) {
                String sql = node(x);
                if (sql == null) {
                    return null;
                }
                parts.add(sql);
            }
            return parts.isEmpty() ? "FALSE" : or(parts);
        }
        if (c instanceof Condition.SegmentReference ref) {
            return ref.target() == null ? "FALSE" : node(ref.target());
        }
        if (c instanceof Condition.TraitComparison trait) {
            return trait(trait);
        }
        if (c instanceof Condition.EventAggregate aggregate && needsAnEvent(aggregate)) {
            return aggregate.within() != null
                    ? hasEvent(aggregate.event(), now.minus(aggregate.within()), null)
                    : hasEvent(aggregate.event(), aggregate.from(), aggregate.to());
        }
        if (c instanceof Condition.Sequence sequence) {
            return hasEvent(sequence.steps().get(0).event(), now.minus(sequence.during()), null);
        }
        if (c instanceof Condition.ReorderDue reorder) {
            return hasEvent(Condition.ReorderDue.ORDER, now.minus(reorder.within()), null);
        }
        if (c instanceof Condition.Predicted predicted && predicted.what().metric().fromOrders()
                && predicted.op() != Operator.MISSING) {
            // Order-based predictions are undefined before a first order, and only a comparison with one can hold.
            return hasEvent(Condition.ReorderDue.ORDER, Instant.EPOCH, null);
        }
        return null; // everyone, not, affinity, and aggregates that can hold with no event
    }

    /** Whether the aggregate can only hold if at least one selected event falls in its window. */
    private static boolean needsAnEvent(Condition.EventAggregate a) {
        if (a.aggregate().isOccurrence()) {
            return a.op() != Operator.MISSING && a.op() != Operator.NE && a.op() != Operator.NOT_IN;
        }
        if (a.aggregate() != Condition.Aggregate.COUNT || !(a.value() instanceof BigDecimal n)) {
            return false;
        }
        return (a.op() == Operator.GTE && n.signum() > 0) || (a.op() == Operator.GT && n.signum() >= 0)
                || (a.op() == Operator.EQ && n.signum() > 0);
    }

    /**
     * An event of that name from {@code after} (future ones included: they enter windows later), before
     * {@code before}. Uncorrelated and bounded to the range: PostgreSQL reads the range's events of that name
     * once (index {@code profile_event_name}) and hashes them, instead of one probe per profile.
     */
    private String hasEvent(String name, Instant after, Instant before) {
        String sql = "p.profile_id IN (SELECT e.profile_id FROM profile_event e WHERE e.workspace = "
                + param(range.workspace()) + " AND e.name = " + param(name) + " AND e.profile_id > " + param(range.after())
                + " AND e.profile_id <= " + param(range.last()) + " AND e.occurred_at >= " + param(after);
        return sql + (before == null ? "" : " AND e.occurred_at < " + param(before)) + ")";
    }

    /** Members now of one of the segments (they may have to exit): uncorrelated, hashed once per range. */
    private String isMember(Collection<String> segmentIds) {
        return "p.profile_id IN (SELECT m.profile_id FROM membership m WHERE m.workspace = " + param(range.workspace())
                + " AND m.segment_id = ANY(" + param(segmentIds.toArray(String[]::new)) + ") AND m.member"
                + " AND m.profile_id > " + param(range.after()) + " AND m.profile_id <= " + param(range.last()) + ")";
    }

    private String trait(Condition.TraitComparison t) {
        Operator op = t.op();
        if (op == Operator.MISSING) {
            return null; // holds for absent values
        }
        StoredTrait stored = StoredTrait.of(t.trait());
        if (stored.key() == null) {
            return null;
        }
        String column = "p." + stored.column();
        String key = stored.key();
        boolean nested = stored.nested();
        if (op == Operator.NE || op == Operator.NOT_IN) {
            return nested ? null : notOneOf(column, key, op == Operator.NE ? List.of(t.value()) : t.value());
        }
        // Every remaining operator needs a value, so at least the top-level key. The predicate only ever sits
        // under AND and OR, never NOT, so a comparison that is NULL for an absent key drops the profile as
        // FALSE would: no separate presence test is needed where a comparison follows.
        if (nested) {
            return present(column, key);
        }
        Collection<?> values = op == Operator.IN && t.value() instanceof Collection<?> list ? list
                : op == Operator.EQ ? List.of(t.value()) : null;
        if (values != null && !values.isEmpty() && values.stream().allMatch(CandidateFilter::comparableAsText)) {
            // Parameters in the order they appear in the SQL.
            List<String> alternatives = new ArrayList<>();
            String text = "(" + column + " ->> " + param(key) + ") IN (";
            alternatives.add(text + params(values) + ")");
            for (Object v : values) {
                if (v instanceof Number n) {
                    alternatives.add("(" + number(column, key) + " = " + param(n.doubleValue()) + ")");
                }
            }
            return or(alternatives);
        }
        List<?> bounds = op == Operator.BETWEEN && t.value() instanceof List<?> list ? list
                : op.isOrdering() && op != Operator.BETWEEN ? List.of(t.value()) : null;
        if (bounds != null && !bounds.isEmpty() && bounds.stream().allMatch(b -> b instanceof Number n
                && Double.isFinite(n.doubleValue()))) {
            // Only numbers order against a number: one jsonpath test, inclusive and a double's step wider
            // than the bound, so a superset of the exact comparison whether the evaluation reads the stored
            // number exactly or as a double.
            String range = switch (op) {
                case GT, GTE -> "@ >= " + below((Number) bounds.get(0));
                case LT, LTE -> "@ <= " + above((Number) bounds.get(0));
                default -> "@ >= " + below((Number) bounds.get(0)) + " && @ <= " + above((Number) bounds.get(1));
            };
            // "@??" is jsonb's "@?" operator, its "?" doubled so that JDBC does not take it for a parameter.
            return "(" + column + " @?? " + param("$." + jsonString(key) + " ? (" + range + ")") + "::jsonpath)";
        }
        return present(column, key);
    }

    private String present(String column, String key) {
        return "(" + column + " -> " + param(key) + ") IS NOT NULL";
    }

    /** A jsonpath number a double's step below the bound. */
    private static String below(Number bound) {
        return new BigDecimal(Math.nextDown(bound.doubleValue())).toPlainString();
    }

    /** A jsonpath number a double's step above the bound. */
    private static String above(Number bound) {
        return new BigDecimal(Math.nextUp(bound.doubleValue())).toPlainString();
    }

    /** A key as a double-quoted jsonpath string. */
    private static String jsonString(String key) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : key.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /**
     * For "ne" and "not_in", which hold for absent values too: only a profile whose value is one of the
     * excluded can be left out. Decided on the stored text only for plain strings (see
     * {@link #comparableAsText}), which only a JSON string equals; for anything else nothing is left out.
     */
    private String notOneOf(String column, String key, Object excluded) {
        if (!(excluded instanceof Collection<?> values) || values.isEmpty()
                || !values.stream().allMatch(v -> v instanceof String && comparableAsText(v))) {
            return null;
        }
        // Cheapest first: almost every profile differs, and the text test alone keeps it. Parameters in SQL order.
        String differs = "(" + column + " ->> " + param(key) + ") NOT IN (";
        differs += params(values) + ")";
        return "(" + differs + " OR (" + column + " -> " + param(key) + ") IS NULL OR jsonb_typeof(" + column + " -> "
                + param(key) + ") <> 'string')";
    }

    /** The value as a double if it is a JSON number, else NULL (so that no comparison holds). */
    private String number(String column, String key) {
        return "(CASE WHEN jsonb_typeof(" + column + " -> " + param(key) + ") = 'number' THEN (" + column + " ->> "
                + param(key) + ")::float8 END)";
    }

    /**
     * Whether "equal" can be decided on the stored text: a boolean or a number (also compared numerically),
     * or a string that no number, boolean or container prints as.
     */
    private static boolean comparableAsText(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return true;
        }
        if (!(v instanceof String s) || s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        return !(Character.isDigit(first) || "-[{".indexOf(first) >= 0);
    }

    /** Placeholders for the values (as text), their parameters added in order. */
    private String params(Collection<?> values) {
        List<String> placeholders = new ArrayList<>();
        for (Object v : values) {
            placeholders.add(param(v.toString()));
        }
        return String.join(", ", placeholders);
    }

    private String param(Object value) {
        params.add(value);
        return "?";
    }

    private static String or(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }
}
