package io.satsuma.segment.domain;

import java.util.List;
import java.util.Map;

/**
 * Everything a condition may look at for one profile: its traits (from the latest snapshot) and its
 * events (at least those within the longest window of any segment).
 */
public record ProfileFacts(String profileId, Map<String, Object> traits, List<ObservedEvent> events) {

    /**
     * Traits are looked up under their names; the profile's behavioural aggregates from profile-service
     * (the whole single customer view: orderCount, visitCount, categoryViews.Shoes, consent.email.granted, ...) under
     * {@code "$profile.<name>"}.
     */
    public static final String PROFILE_ATTRIBUTES = "$profile";
}
