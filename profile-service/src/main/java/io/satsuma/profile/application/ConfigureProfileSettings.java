package io.satsuma.profile.application;

import com.github.benmanes.caffeine.cache.Cache;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileSettingsStore;
import io.satsuma.support.cache.Caches;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Each workspace's profile settings: the defaults until an admin saves its own. Read on every recorded
 * event, so cached for 30 s like the identity rules; a change applies to events recorded from then on
 * (existing day buckets are not rebuilt; a shorter retention takes effect at the next sweep).
 */
@ApplicationScoped
public class ConfigureProfileSettings {
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);
    private static final int MAX_BUCKETS = 50;
    private static final int MAX_RETENTION_DAYS = 3_660;
    private static final int MAX_PRIVATE_TRAITS = 200;

    private final ProfileSettingsStore store;
    private final Clock clock;
    private final Cache<String, ProfileSettings> cache;

    ConfigureProfileSettings(ProfileSettingsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.cache = Caches.expiringAfterWrite(CACHE_TTL, clock);
    }

    public ProfileSettings of(String workspace) {
        return cache.get(workspace, ws -> store.find(ws).orElse(ProfileSettings.defaults()));
    }

    /** Settings as sent by an admin: everything is required, nothing defaulted. */
    public record SettingsRequest(Integer retentionDays, List<ProfileSettings.DayBucket> dayBuckets,
                                  List<String> privateTraits) {
    }

    @Transactional
    public ProfileSettings replace(String workspace, SettingsRequest request) {
        List<FieldError> errors = new ArrayList<>();
        SettingsRequest r = request == null ? new SettingsRequest(null, null, null) : request;
        if (r.retentionDays() == null || r.retentionDays() < 1 || r.retentionDays() > MAX_RETENTION_DAYS) {
            errors.add(new FieldError("/retentionDays", "days of buckets to keep: 1 to " + MAX_RETENTION_DAYS));
        }
        if (r.dayBuckets() == null || r.dayBuckets().size() > MAX_BUCKETS) {
            errors.add(new FieldError("/dayBuckets", "a list of at most " + MAX_BUCKETS
                    + " {\"event\": name, \"sum\": property or null}"));
        } else {
            Set<String> events = new HashSet<>();
            for (int i = 0; i < r.dayBuckets().size(); i++) {
                ProfileSettings.DayBucket bucket = r.dayBuckets().get(i);
                if (bucket == null || bucket.event() == null || bucket.event().isBlank() || bucket.event().length() > 200) {
                    errors.add(new FieldError("/dayBuckets/" + i + "/event",
                            "a track event's name, or page or screen (at most 200 characters)"));
                } else if (!events.add(bucket.event())) {
                    errors.add(new FieldError("/dayBuckets/" + i + "/event",
                            "'" + bucket.event() + "' is bucketed twice"));
                }
                if (bucket != null && bucket.sum() != null && (bucket.sum().isBlank() || bucket.sum().length() > 200)) {
                    errors.add(new FieldError("/dayBuckets/" + i + "/sum",
                            "a property name (at most 200 characters) or null"));
                }
            }
        }
        if (r.privateTraits() == null || r.privateTraits().size() > MAX_PRIVATE_TRAITS) {
            errors.add(new FieldError("/privateTraits", "a list of at most " + MAX_PRIVATE_TRAITS + " trait names"));
        } else {
            for (int i = 0; i < r.privateTraits().size(); i++) {
                String trait = r.privateTraits().get(i);
                if (trait == null || trait.isBlank() || trait.length() > 200) {
                    errors.add(new FieldError("/privateTraits/" + i, "a trait name of at most 200 characters"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("the profile settings are not valid", errors);
        }
        ProfileSettings saved = new ProfileSettings(r.retentionDays(), List.copyOf(r.dayBuckets()),
                new LinkedHashSet<>(r.privateTraits()));
        store.save(workspace, saved, clock.instant());
        cache.put(workspace, saved);
        return saved;
    }
}
