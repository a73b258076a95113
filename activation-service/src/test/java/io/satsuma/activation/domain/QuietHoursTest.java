package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private final QuietHours nights = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), ZoneId.of("Europe/London"));

    private static Contact in(String zone) {
        return new Contact("ws", "p", 1, Contact.Status.ACTIVE, List.of(), zone == null ? Map.of() : Map.of("timezone", zone),
                Map.of(), Map.of(), Instant.EPOCH);
    }

    @Test
    void aMessageDueAtNightWaitsForTheMorningInThePersonsZone() {
        Instant lateInLondon = Instant.parse("2026-06-01T21:30:00Z"); // 22:30 BST
        assertThat(nights.nextAllowed(lateInLondon, in(null))).isEqualTo(Instant.parse("2026-06-02T07:00:00Z"));
        // the same instant is 15:30 in Chicago: no wait
        assertThat(nights.nextAllowed(lateInLondon, in("America/Chicago"))).isEqualTo(lateInLondon);
        // just after midnight in Tokyo, until 08:00 there
        assertThat(nights.nextAllowed(Instant.parse("2026-06-01T15:10:00Z"), in("Asia/Tokyo")))
                .isEqualTo(Instant.parse("2026-06-01T23:00:00Z"));
    }

    @Test
    void aWindowWithinTheDayAndAnUnknownZone() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0), ZoneId.of("UTC"));
        assertThat(lunch.nextAllowed(Instant.parse("2026-06-01T12:15:00Z"), in("Not/AZone")))
                .isEqualTo(Instant.parse("2026-06-01T13:00:00Z"));
        assertThat(lunch.nextAllowed(Instant.parse("2026-06-01T13:00:00Z"), in(null)))
                .isEqualTo(Instant.parse("2026-06-01T13:00:00Z"));
    }
}
