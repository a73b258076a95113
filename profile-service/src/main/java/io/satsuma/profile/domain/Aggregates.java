package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.EcommerceSpec;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileAggregates.Consent;
import io.satsuma.contracts.profile.v1.ProfileAggregates.Location;
import io.satsuma.contracts.profile.v1.ProfileAggregates.PushToken;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * Folding events into a profile's behavioural aggregates. {@link #apply} is the incremental step;
 * {@link #fold} recomputes from scratch (after a merge or unmerge), and both give the same result for the
 * same events in any order of arrival: counts and sums commute, first/last are min/max, "latest" values
 * are chosen by event time (ties broken by value, never by arrival), and visits are counted from the
 * new event's neighbours in time, which the caller supplies.
 *
 * <p>Event names follow the Segment e-commerce, email and consent specs ({@code Product Viewed},
 * {@code Product Added}, {@code Order Completed}, {@code Order Refunded}, {@code Email Opened},
 * {@code Email Link Clicked}, {@code Email Unsubscribed}, {@code Consent Updated}).
 */
public final class Aggregates {
    /** A visit ends after 30 minutes without an event (the web-analytics convention). */
    public static final Duration VISIT_GAP = Duration.ofMinutes(30);
    public static final List<String> CHANNELS = List.of("email", "sms", "push", "ads");

    private Aggregates() {
    }

    /**
     * The profile's other events closest in time to a new one: the latest at or before it and the
     * earliest after it (null when there is none). Visits change only around the new event.
     */
    public record Neighbours(Instant previous, Instant next) {
        public static final Neighbours NONE = new Neighbours(null, null);

        /** The neighbours of {@code at} among these and the instants {@code more} (events not stored yet). */
        public Neighbours with(NavigableSet<Instant> more, Instant at) {
            Instant before = more.floor(at);
            Instant after = more.higher(at);
            return new Neighbours(previous == null || (before != null && before.isAfter(previous)) ? before : previous,
                    next == null || (after != null && after.isBefore(next)) ? after : next);
        }
    }

    public static ProfileAggregates empty() {
        return new ProfileAggregates(0, null, null, 0, 0, 0, 0, Map.of(), Map.of(), 0, null, false,
                0, BigDecimal.ZERO, null, null, null, 0, null, 0, BigDecimal.ZERO, 0, 0, Map.of(), null, Map.of(), Map.of());
    }

    /** The neighbours of a new event when its time is not before anything seen: no lookup needed. */
    public static boolean isInOrder(ProfileAggregates current, Instant timestamp) {
        return current.lastSeenAt() == null || !timestamp.isBefore(current.lastSeenAt());
    }

    public static ProfileAggregates apply(ProfileAggregates a, CustomerEvent e, Neighbours around) {
        Instant t = e.timestamp();
        Map<String, Object> p = e.properties();
        boolean order = e.isOrder();
        boolean productView = e.isTrack("Product Viewed");
        boolean cartAdd = e.isTrack("Product Added");
        boolean refund = e.isTrack("Order Refunded");
        long orders = a.orderCount() + (order ? 1 : 0);
        BigDecimal revenue = order ? a.totalRevenue().add(EcommerceSpec.revenueOf(p)) : a.totalRevenue();
        long discounted = a.discountedOrderCount() + (order && isDiscounted(p) ? 1 : 0);
        Instant lastOrderAt = order ? max(a.lastOrderAt(), t) : a.lastOrderAt();
        Instant lastCartAddAt = cartAdd ? max(a.lastCartAddAt(), t) : a.lastCartAddAt();
        return new ProfileAggregates(
                a.eventCount() + 1,
                min(a.firstSeenAt(), t),
                max(a.lastSeenAt(), t),
                a.visitCount() + visitsAdded(around, t),
                a.pageViewCount() + ("page".equals(e.type()) ? 1 : 0),
                a.screenViewCount() + ("screen".equals(e.type()) ? 1 : 0),
                a.productViewCount() + (productView ? 1 : 0),
                productView ? increment(a.categoryViews(), text(p.get("category"))) : a.categoryViews(),
                productView ? increment(a.brandViews(), text(p.get("brand"))) : a.brandViews(),
                a.cartAddCount() + (cartAdd ? 1 : 0),
                lastCartAddAt,
                lastCartAddAt != null && (lastOrderAt == null || lastCartAddAt.isAfter(lastOrderAt)),
                orders,
                revenue,
                orders == 0 ? null : revenue.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP),
                order ? min(a.firstOrderAt(), t) : a.firstOrderAt(),
                lastOrderAt,
                discounted,
                orders == 0 ? null : BigDecimal.valueOf(discounted).divide(BigDecimal.valueOf(orders), 4, RoundingMode.HALF_UP),
                a.refundCount() + (refund ? 1 : 0),
                refund ? a.refundedAmount().add(EcommerceSpec.revenueOf(p)) : a.refundedAmount(),
                a.emailOpenCount() + (e.isTrack("Email Opened") ? 1 : 0),
                a.emailClickCount() + (e.isTrack("Email Link Clicked") ? 1 : 0),
                increment(a.deviceTypes(), deviceType(e.context())),
                later(a.location(), locationOf(e)),
                ConsentDecisions.apply(a.consent(), e),
                PushTokens.apply(a.pushTokens(), e));
    }

    /** From scratch: the events in time order, each with its predecessor as neighbour. */
    public static ProfileAggregates fold(List<CustomerEvent> events) {
        ProfileAggregates result = empty();
        Instant previous = null;
        for (CustomerEvent event : events.stream().sorted(Comparator.comparing(CustomerEvent::timestamp)).toList()) {
            result = apply(result, event, new Neighbours(previous, null));
            previous = event.timestamp();
        }
        return result;
    }

    /** Visits = 1 + the gaps longer than {@link #VISIT_GAP} between consecutive events; inserting t changes only its gaps. */
    static long visitsAdded(Neighbours around, Instant t) {
        Instant before = around.previous();
        Instant after = around.next();
        if (before == null && after == null) {
            return 1;
        }
        long gapsNow = (before != null && isGap(before, t) ? 1 : 0) + (after != null && isGap(t, after) ? 1 : 0);
        long gapsBefore = before != null && after != null && isGap(before, after) ? 1 : 0;
        return gapsNow - gapsBefore;
    }

    private static boolean isGap(Instant from, Instant to) {
        return Duration.between(from, to).compareTo(VISIT_GAP) > 0;
    }

    static boolean isDiscounted(Map<String, Object> properties) {
        BigDecimal discount = EcommerceSpec.decimal(properties.get("discount"));
        return (discount != null && discount.signum() > 0) || text(properties.get("coupon")) != null;
    }

    /** {@code context.device.type} (mobile SDKs: ios, android), else mobile/tablet/desktop from the user agent. */
    static String deviceType(Map<String, Object> context) {
        if (context.get("device") instanceof Map<?, ?> device && text(device.get("type")) != null) {
            return text(device.get("type")).toLowerCase(Locale.ROOT);
        }
        String agent = text(context.get("userAgent"));
        if (agent == null) {
            return null;
        }
        if (agent.contains("iPad") || agent.contains("Tablet")) {
            return "tablet";
        }
        return agent.contains("Mobi") || agent.contains("Android") ? "mobile" : "desktop";
    }

    private static Location locationOf(CustomerEvent e) {
        if (e.context().get("location") instanceof Map<?, ?> location) {
            String country = text(location.get("country"));
            String city = text(location.get("city"));
            if (country != null || city != null) {
                return new Location(country, city, e.timestamp());
            }
        }
        return null;
    }

    /** The later of two locations; at the same instant the greater value, so arrival order never decides. */
    private static Location later(Location current, Location candidate) {
        if (candidate == null) {
            return current;
        }
        if (current == null || candidate.at().isAfter(current.at())) {
            return candidate;
        }
        if (candidate.at().equals(current.at()) && key(candidate).compareTo(key(current)) > 0) {
            return candidate;
        }
        return current;
    }

    private static String key(Location l) {
        return (l.country() == null ? "" : l.country()) + "\u001f" + (l.city() == null ? "" : l.city());
    }

    private static Map<String, Long> increment(Map<String, Long> counts, String key) {
        if (key == null) {
            return counts;
        }
        Map<String, Long> next = new TreeMap<>(counts);
        next.merge(key, 1L, Long::sum);
        return next;
    }

    static String text(Object value) {
        if (value instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        return value instanceof Number || value instanceof Boolean ? value.toString() : null;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    /**
     * Push device tokens: seen in {@code context.device.token} (platform from {@code context.device.type}), reported
     * dead by a channel with a {@code Push Token Invalidated} event ({@code token}). Both are kept as the latest
     * instant, so the fold is independent of arrival order; a token is usable while seen after it was reported dead.
     */
    static final class PushTokens {
        static final String INVALIDATED = "Push Token Invalidated";

        private PushTokens() {
        }

        static Map<String, PushToken> apply(Map<String, PushToken> current, CustomerEvent e) {
            String seen = e.context().get("device") instanceof Map<?, ?> device
                    && device.get("token") instanceof String token && !token.isBlank() ? token : null;
            String dead = e.isTrack(INVALIDATED) && e.properties().get("token") instanceof String token ? token : null;
            if (seen == null && dead == null) {
                return current;
            }
            Map<String, PushToken> next = new TreeMap<>(current);
            if (seen != null) {
                String platform = e.context().get("device") instanceof Map<?, ?> device ? text(device.get("type")) : null;
                next.merge(seen, new PushToken(platform, e.timestamp(), null), PushTokens::combine);
            }
            if (dead != null) {
                next.merge(dead, new PushToken(null, null, e.timestamp()), PushTokens::combine);
            }
            return next;
        }

        /** The later sighting (with its platform; at the same instant the greater name) and the later report. */
        private static PushToken combine(PushToken a, PushToken b) {
            Instant seen = max(a.lastSeenAt(), b.lastSeenAt());
            String platform;
            if (a.lastSeenAt() == null || b.lastSeenAt() == null) {
                platform = a.lastSeenAt() != null ? a.platform() : b.platform();
            } else if (!a.lastSeenAt().equals(b.lastSeenAt())) {
                platform = a.lastSeenAt().isAfter(b.lastSeenAt()) ? a.platform() : b.platform();
            } else {
                platform = Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(a.platform(), b.platform()) >= 0
                        ? a.platform() : b.platform();
            }
            return new PushToken(platform, seen, max(a.invalidatedAt(), b.invalidatedAt()));
        }
    }

    /** Consent per channel from traits, dedicated events and Segment's consent context. */
    static final class ConsentDecisions {
        private ConsentDecisions() {
        }

        /**
         * Sources, each dated by its event: {@code identify} traits {@code consent: {email: true, ...}};
         * {@code Consent Updated} with {@code channel} + {@code granted}, or channel booleans;
         * {@code Email Unsubscribed} (email: false) and {@code Unsubscribed} with a {@code channel};
         * {@code context.consent.categoryPreferences} (Segment consent management; {@code advertising} means ads).
         * The latest decision wins; two at the same instant resolve to "not granted".
         */
        static Map<String, Consent> apply(Map<String, Consent> current, CustomerEvent e) {
            Map<String, Boolean> decided = new TreeMap<>();
            if ("identify".equals(e.type()) && e.traits().get("consent") instanceof Map<?, ?> consent) {
                channelBooleans(consent, decided);
            }
            if (e.context().get("consent") instanceof Map<?, ?> consent
                    && consent.get("categoryPreferences") instanceof Map<?, ?> preferences) {
                channelBooleans(preferences, decided);
            }
            Map<String, Object> p = e.properties();
            if (e.isTrack("Consent Updated")) {
                String channel = channel(p.get("channel"));
                if (channel != null && p.get("granted") instanceof Boolean granted) {
                    decided.put(channel, granted);
                }
                channelBooleans(p, decided);
            } else if (e.isTrack("Email Unsubscribed")) {
                decided.put("email", false);
            } else if (e.isTrack("Unsubscribed") && channel(p.get("channel")) != null) {
                decided.put(channel(p.get("channel")), false);
            }
            if (decided.isEmpty()) {
                return current;
            }
            Map<String, Consent> next = new TreeMap<>(current);
            decided.forEach((channel, granted) -> next.merge(channel, new Consent(granted, e.timestamp()),
                    ConsentDecisions::later));
            return next;
        }

        private static Consent later(Consent current, Consent candidate) {
            int byTime = candidate.at().compareTo(current.at());
            if (byTime != 0) {
                return byTime > 0 ? candidate : current;
            }
            return current.granted() && !candidate.granted() ? candidate : current;
        }

        private static void channelBooleans(Map<?, ?> values, Map<String, Boolean> into) {
            values.forEach((key, value) -> {
                String channel = channel(key);
                if (channel != null && value instanceof Boolean granted) {
                    into.put(channel, granted);
                }
            });
        }

        private static String channel(Object name) {
            if (!(name instanceof String s)) {
                return null;
            }
            String lower = s.trim().toLowerCase(Locale.ROOT);
            if (lower.equals("advertising")) {
                return "ads";
            }
            return CHANNELS.contains(lower) ? lower : null;
        }
    }
}
