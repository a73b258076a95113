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
 * (negations, "ne", aggregates that hold over no events) it is simply {@code TRUE}.
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
     * {@code before}. Correlated: PostgreSQL checks it last, only for the profiles that passed the
     * cheaper trait tests, with one probe of the (workspace, profile_id, occurred_at) index each.
     */
    private String hasEvent(String name, Instant after, Instant before) {
        String sql = "EXISTS (SELECT 1 FROM profile_event e WHERE e.workspace = p.workspace AND e.profile_id = p.profile_id"
                + " AND e.name = " + param(name) + " AND e.occurred_at >= " + param(after);
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
        if (op == Operator.NE || op == Operator.NOT_IN || op == Operator.MISSING) {
            return null; // these hold for absent values too
        }
        StoredTrait stored = StoredTrait.of(t.trait());
        if (stored.key() == null) {
            return null;
        }
        String column = "p." + stored.column();
        String key = stored.key();
        boolean nested = stored.nested();
        // Every remaining operator needs a value, so at least the top-level key.
        String present = "(" + column + " -> " + param(key) + ") IS NOT NULL";
        if (nested) {
            return present;
        }
        Collection<?> values = op == Operator.IN && t.value() instanceof Collection<?> list ? list
                : op == Operator.EQ ? List.of(t.value()) : null;
        if (values != null && !values.isEmpty() && values.stream().allMatch(CandidateFilter::comparableAsText)) {
            List<String> alternatives = new ArrayList<>();
            for (Object v : values) {
                alternatives.add("(" + column + " ->> " + param(key) + ") = " + param(v.toString()));
                if (v instanceof Number n) {
                    alternatives.add("(" + number(column, key) + " = " + param(n.doubleValue()) + ")");
                }
            }
            return "(" + present + " AND " + or(alternatives) + ")";
        }
        List<?> bounds = op == Operator.BETWEEN && t.value() instanceof List<?> list ? list
                : op.isOrdering() && op != Operator.BETWEEN ? List.of(t.value()) : null;
        if (bounds != null && !bounds.isEmpty() && bounds.stream().allMatch(b -> b instanceof Number)) {
            // Only numbers order against a number. Compared as doubles and inclusively: a superset of the
            // exact comparison whatever the stored precision.
            String range = switch (op) {
                case GT, GTE -> number(column, key) + " >= " + param(((Number) bounds.get(0)).doubleValue());
                case LT, LTE -> number(column, key) + " <= " + param(((Number) bounds.get(0)).doubleValue());
                default -> number(column, key) + " >= " + param(((Number) bounds.get(0)).doubleValue()) + " AND "
                        + number(column, key) + " <= " + param(((Number) bounds.get(1)).doubleValue());
            };
            return "(" + present + " AND " + range + ")";
        }
        return present;
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

    private String param(Object value) {
        params.add(value);
        return "?";
    }

    private static String or(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }
}
