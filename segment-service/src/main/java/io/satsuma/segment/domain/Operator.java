package io.satsuma.segment.domain;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Objects;

/** Comparison operators of the condition language. */
public enum Operator {
    EQ("eq"), NE("ne"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), IN("in"), CONTAINS("contains"),
    EXISTS("exists"), MISSING("missing");

    private final String json;

    Operator(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Operator fromJson(String name) {
        for (Operator op : values()) {
            if (op.json.equals(name)) {
                return op;
            }
        }
        return null;
    }

    /** Operators that take no operand. */
    public boolean isUnary() {
        return this == EXISTS || this == MISSING;
    }

    public boolean isOrdering() {
        return this == GT || this == GTE || this == LT || this == LTE;
    }

    /** Applies the operator; a missing or incomparable actual value is never a match (except {@code missing}/{@code ne}). */
    public boolean test(Object actual, Object expected) {
        switch (this) {
            case EXISTS:
                return actual != null;
            case MISSING:
                return actual == null;
            case EQ:
                return actual != null && equal(actual, expected);
            case NE:
                return actual == null || !equal(actual, expected);
            case IN:
                return actual != null && expected instanceof Collection<?> options
                        && options.stream().anyMatch(option -> equal(actual, option));
            case CONTAINS:
                if (actual instanceof Collection<?> list) {
                    return list.stream().anyMatch(item -> equal(item, expected));
                }
                return actual instanceof String s && expected != null && s.contains(expected.toString());
            default:
                Integer order = compare(actual, expected);
                if (order == null) {
                    return false;
                }
                return switch (this) {
                    case GT -> order > 0;
                    case GTE -> order >= 0;
                    case LT -> order < 0;
                    case LTE -> order <= 0;
                    default -> throw new IllegalStateException(json);
                };
        }
    }

    private static boolean equal(Object actual, Object expected) {
        BigDecimal a = number(actual);
        BigDecimal b = number(expected);
        if (a != null && b != null) {
            return a.compareTo(b) == 0;
        }
        return Objects.equals(actual == null ? null : actual.toString(), expected == null ? null : expected.toString());
    }

    private static Integer compare(Object actual, Object expected) {
        BigDecimal a = number(actual);
        BigDecimal b = number(expected);
        if (a != null && b != null) {
            return a.compareTo(b);
        }
        if (actual instanceof String s && expected instanceof String t) {
            return s.compareTo(t);
        }
        return null;
    }

    static BigDecimal number(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return null;
    }
}
