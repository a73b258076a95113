package io.satsuma.profile.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads of the single customer view, always within the caller's workspace. */
@ApplicationScoped
public class FindProfiles {
    private final Profiles profiles;

    FindProfiles(Profiles profiles) {
        this.profiles = profiles;
    }

    /** A profile with its identifiers. */
    public record ProfileView(ProfileState state, List<Identifier> identifiers) {
    }

    public ProfileView byId(String workspace, String profileId) {
        ProfileState state = profiles.find(workspace, profileId)
                .orElseThrow(() -> ProblemException.notFound("no profile " + profileId + " in this workspace"));
        return new ProfileView(state, profiles.identifiersOf(workspace, profileId));
    }

    public ProfileView byIdentifier(String workspace, String type, String value) {
        Identifier identifier = IdentifierQuery.parse(type, value);
        String profileId = profiles.ownersOf(workspace, List.of(identifier)).get(identifier);
        if (profileId == null) {
            throw ProblemException.notFound("no profile holds " + identifier.type() + " with that value in this workspace");
        }
        return byId(workspace, profileId);
    }

    /**
     * The profile's day buckets between two days (ISO dates, both included; default the last 30 days of
     * {@code today}, at most 3,660 days at once).
     */
    public List<io.satsuma.profile.domain.ProfileSettings.Day> days(String workspace, String profileId, String from,
                                                                    String to, java.time.LocalDate today) {
        byId(workspace, profileId);
        java.time.LocalDate last = date("to", to, today);
        java.time.LocalDate first = date("from", from, last.minusDays(29));
        if (first.isAfter(last) || first.plusDays(3_660).isBefore(last)) {
            throw ProblemException.badRequest("'from' must not be after 'to', and at most 3660 days before it");
        }
        return profiles.daysOf(workspace, profileId, first, last);
    }

    private static java.time.LocalDate date(String name, String value, java.time.LocalDate otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return java.time.LocalDate.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be an ISO date like 2026-11-29, not '"
                    + value + "'");
        }
    }

    public List<MergeEntry> merges(String workspace, String profileId) {
        byId(workspace, profileId);
        return profiles.mergesOf(workspace, profileId);
    }
}
