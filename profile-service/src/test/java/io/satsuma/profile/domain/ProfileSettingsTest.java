package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProfileSettingsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private final ProfileSettings settings = new ProfileSettings(7,
            List.of(new ProfileSettings.DayBucket("Order Completed", "revenue"), new ProfileSettings.DayBucket("page", null)),
            Set.of("ssn"));

    @Test
    void bucketedEventsAddUpPerUtcDayAndOthersAreLeftOut() {
        List<ProfileSettings.Day> days = settings.fold(List.of(
                track("Order Completed", "2026-11-28T23:59:59Z", Map.of("revenue", 10)),
                track("Order Completed", "2026-11-28T01:00:00Z", Map.of("revenue", "2.5")),
                track("Order Completed", "2026-11-29T00:00:00Z", Map.of("revenue", "n/a")),
                new CustomerEvent("p", "page", "Home", Instant.parse("2026-11-29T08:00:00Z"), Map.of(), Map.of(), Map.of()),
                track("Product Viewed", "2026-11-29T08:00:00Z", Map.of())), NOW);

        assertThat(days).containsExactly(
                new ProfileSettings.Day(LocalDate.parse("2026-11-28"), "Order Completed", 2, new BigDecimal("12.5")),
                new ProfileSettings.Day(LocalDate.parse("2026-11-29"), "Order Completed", 1, BigDecimal.ZERO),
                new ProfileSettings.Day(LocalDate.parse("2026-11-29"), "page", 1, BigDecimal.ZERO));
    }

    @Test
    void daysBeyondRetentionAreNotBucketed() {
        assertThat(settings.oldestKeptDay(NOW)).isEqualTo(LocalDate.parse("2026-11-23"));
        assertThat(settings.contribution(track("Order Completed", "2026-11-23T00:00:00Z", Map.of()), NOW)).isPresent();
        assertThat(settings.contribution(track("Order Completed", "2026-11-22T23:59:59Z", Map.of()), NOW)).isEmpty();
    }

    @Test
    void privateTraitsAreNotPublished() {
        assertThat(settings.publishable(Map.of("plan", "gold", "ssn", "123"))).isEqualTo(Map.of("plan", "gold"));
        assertThat(settings.publishable(Map.of("plan", "gold"))).isEqualTo(Map.of("plan", "gold"));
    }

    private static CustomerEvent track(String name, String at, Map<String, Object> properties) {
        return new CustomerEvent(name + at, "track", name, Instant.parse(at), properties, Map.of(), Map.of());
    }
}
