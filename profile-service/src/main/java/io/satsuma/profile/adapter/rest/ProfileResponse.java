package io.satsuma.profile.adapter.rest;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.profile.application.FindProfiles;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A profile as the REST API shows it. */
public record ProfileResponse(String id, String status, String mergedInto, long version,
                              List<Identifier> identifiers, Map<String, Object> traits,
                              ProfileAggregates aggregates, Instant createdAt, Instant updatedAt) {

    static ProfileResponse from(FindProfiles.ProfileView view) {
        var s = view.state();
        return new ProfileResponse(s.id(), s.status(), s.mergedInto(), s.version(), view.identifiers(), s.traits(),
                s.aggregates(), s.createdAt(), s.updatedAt());
    }
}
