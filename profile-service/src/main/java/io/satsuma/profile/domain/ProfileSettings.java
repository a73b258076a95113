package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.EcommerceSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A workspace's choices about its customer view: which events are counted per day (and which property
 * summed) for how long, and which traits never leave profile-service in the published snapshot.
 *
 * @param retentionDays day buckets older than this are deleted (and not created for older events)
 * @param dayBuckets    what is bucketed per profile and day (UTC)
 * @param privateTraits traits kept out of {@code satsuma.profiles.v1}: shown by the profile API, never published
 */
public record ProfileSettings(int retentionDays, List<DayBucket> dayBuckets, Set<String> privateTraits) {

    /**
     * @param event a track event's name, or {@code page} / {@code screen} for those calls
     * @param sum   a numeric property to add up per day, or null to count only
     */
    public record DayBucket(String event, String sum) {
        boolean matches(CustomerEvent e) {
            return "track".equals(e.type()) ? event.equals(e.name()) : event.equals(e.type());
        }
    }

    /** One bucket of one profile on one day. */
    public record Day(LocalDate day, String event, long count, BigDecimal sum) {
    }

    public static ProfileSettings defaults() {
        return new ProfileSettings(90,
                List.of(new DayBucket("Order Completed", "revenue"), new DayBucket("Product Viewed", null),
                        new DayBucket("page", null)),
                Set.of("password", "ssn", "creditCardNumber", "iban"));
    }

    /** The first day still kept on {@code today}. */
    public LocalDate oldestKeptDay(Instant now) {
        return now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(retentionDays - 1L);
    }

    /** What the event adds to its day, if a bucket takes it and the day is within retention. */
    public Optional<Day> contribution(CustomerEvent e, Instant now) {
        LocalDate day = e.timestamp().atZone(ZoneOffset.UTC).toLocalDate();
        if (day.isBefore(oldestKeptDay(now))) {
            return Optional.empty();
        }
        return dayBuckets.stream().filter(b -> b.matches(e)).findFirst().map(b -> new Day(day, b.event(), 1,
                b.sum() == null ? BigDecimal.ZERO : Optional.ofNullable(EcommerceSpec.decimal(e.properties().get(b.sum())))
                        .orElse(BigDecimal.ZERO)));
    }

    /** All buckets of a profile from scratch (after an unmerge), in day and event order. */
    public List<Day> fold(List<CustomerEvent> events, Instant now) {
        Map<String, Day> days = new TreeMap<>();
        for (CustomerEvent e : events) {
            contribution(e, now).ifPresent(d -> days.merge(d.day() + "\u001f" + d.event(), d,
                    (a, b) -> new Day(a.day(), a.event(), a.count() + b.count(), a.sum().add(b.sum()))));
        }
        return List.copyOf(days.values());
    }

    /** The traits as published: without the private ones. */
    public Map<String, Object> publishable(Map<String, Object> traits) {
        if (traits == null || privateTraits.stream().noneMatch(traits::containsKey)) {
            return traits;
        }
        Map<String, Object> kept = new LinkedHashMap<>(traits);
        kept.keySet().removeAll(privateTraits);
        return kept;
    }
}
