package io.satsuma.activation.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A window, in the person's local time, in which no message is sent (e.g. 21:00 to 08:00); a message due inside it
 * waits until it ends. The person's zone is their {@code timezone} trait (IANA name), else the sync's default.
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId defaultZone) {

    /** The trait that names a person's time zone (Segment's {@code context.timezone} is copied there by SDKs). */
    public static final String TIME_ZONE_TRAIT = "timezone";

    /** When the message may go: {@code now} outside the window, else the window's end in the person's zone. */
    public Instant nextAllowed(Instant now, Contact contact) {
        ZoneId zone = contact.trait(TIME_ZONE_TRAIT).flatMap(QuietHours::zone).orElse(defaultZone);
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean wraps = start.isAfter(end);
        boolean quiet = wraps ? !time.isBefore(start) || time.isBefore(end) : !time.isBefore(start) && time.isBefore(end);
        if (!quiet) {
            return now;
        }
        ZonedDateTime endToday = local.with(end);
        ZonedDateTime until = endToday.isAfter(local) ? endToday : endToday.plusDays(1);
        return until.toInstant();
    }

    static Optional<ZoneId> zone(String name) {
        try {
            return Optional.of(ZoneId.of(name));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
