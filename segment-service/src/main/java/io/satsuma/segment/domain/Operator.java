package io.satsuma.segment.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Comparison operators of the condition language. Values compare as numbers when both sides are
 * numbers, as instants when both sides are timestamps (ISO-8601 strings), else as strings. A missing
 * actual value never matches, except for {@code ne}, {@code not_in} and {@code missing}.
 */
public enum Operator {
    EQ("eq"), NE("ne"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), BETWEEN("between"),
    IN("in"), NOT_IN("not_in"), CONTAINS("contains"), STARTS_WITH("starts_with"), ENDS_WITH("ends_with"),
    MATCHES("matches"), EXISTS("exists"), MISSING("missing"),
    /** A timestamp at least {@code value} (ISO-8601 duration) before now: "more than 30 days ago". */
    OLDER_THAN("older_than"),
    /** A timestamp in the last {@code value} (ISO-8601 duration), not in the future: "within the last 7 days". */
    WITHIN_LAST("within_last");

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
        return this == GT || this == GTE || this == LT || this == LTE || this == BETWEEN;
    }

    /** Operators whose result depends on the current instant. */
    public boolean isRelativeDate() {
        return this == OLDER_THAN || this == WITHIN_LAST;
    }

    /** Operators that compare text. */
    public boolean isTextual() {
        return this == STARTS_WITH || this == ENDS_WITH || this == MATCHES;
    }

    /** Applies a time-independent operator. */
    public boolean test(Object actual, Object expected) {
        return test(actual, expected, null);
    }

    /** Applies the operator at {@code now} (only relative-date operators use it). */
    public boolean test(Object actual, Object expected, Instant now) {
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
            case NOT_IN:
                return actual == null || !(expected instanceof Collection<?> options)
                        || options.stream().noneMatch(option -> equal(actual, option));
            case CONTAINS:
                if (actual instanceof Collection<?> list) {
                    return list.stream().anyMatch(item -> equal(item, expected));
                }
                return actual instanceof String s && expected != null && s.contains(expected.toString());
            case STARTS_WITH:
                return actual instanceof String s && expected != null && s.startsWith(expected.toString());
            case ENDS_WITH:
                return actual instanceof String s && expected != null && s.endsWith(expected.toString());
            case MATCHES:
                return actual != null && expected instanceof Pattern p && p.matcher(actual.toString()).find();
            case BETWEEN:
                if (!(expected instanceof List<?> bounds) || bounds.size() != 2) {
                    return false;
                }
                Integer low = compare(actual, bounds.get(0));
                Integer high = compare(actual, bounds.get(1));
                return low != null && high != null && low >= 0 && high <= 0;
            case OLDER_THAN:
            case WITHIN_LAST:
                return relativeDate(actual, expected, now);
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

    /**
     * For a relative-date operator: the instants after {@code after} at which its result changes for
     * this actual value ({@code older_than}: when the timestamp becomes old enough; {@code within_last}:
     * when it enters and leaves the period).
     */
    public List<Instant> changeInstants(Object actual, Object expected) {
        Instant at = instant(actual);
        if (at == null || !(expected instanceof Duration period)) {
            return List.of();
        }
        return this == OLDER_THAN ? List.of(at.plus(period)) : List.of(at, at.plus(period));
    }

    private boolean relativeDate(Object actual, Object expected, Instant now) {
        Instant at = instant(actual);
        if (at == null || !(expected instanceof Duration period) || now == null) {
            return false;
        }
        if (this == OLDER_THAN) {
            return !at.isAfter(now.minus(period));
        }
        return at.isAfter(now.minus(period)) && !at.isAfter(now);
    }

    private static boolean equal(Object actual, Object expected) {
        BigDecimal a = number(actual);
        BigDecimal b = number(expected);
        if (a != null && b != null) {
            return a.compareTo(b) == 0;
        }
        if (actual instanceof Boolean || expected instanceof Boolean) {
            return Objects.equals(actual, expected);
        }
        return Objects.equals(actual == null ? null : actual.toString(), expected == null ? null : expected.toString());
    }

    private static Integer compare(Object actual, Object expected) {
        BigDecimal a = number(actual);
        BigDecimal b = number(expected);
        if (a != null && b != null) {
            return a.compareTo(b);
        }
        Instant x = instant(actual);
        Instant y = instant(expected);
        if (x != null && y != null) {
            return x.compareTo(y);
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

    /** A timestamp from an ISO-8601 instant, offset date-time or date (midnight UTC); null otherwise. */
    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (!(value instanceof String s) || s.length() < 10 || !Character.isDigit(s.charAt(0))) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
