package io.satsuma.profile.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads of the single customer view, always within the caller's workspace. */
@ApplicationScoped
public class FindProfiles {
    private static final int MAX_DAYS = 3_660;

    private final Profiles profiles;
    private final IdentityGraph graph;
    private final DayBuckets days;
    private final MergeJournal journal;

    FindProfiles(Profiles profiles, IdentityGraph graph, DayBuckets days, MergeJournal journal) {
        this.profiles = profiles;
        this.graph = graph;
        this.days = days;
        this.journal = journal;
    }

    /** A profile with its identifiers. */
    public record ProfileView(ProfileState state, List<Identifier> identifiers) {
    }

    public ProfileView byId(String workspace, String profileId) {
        ProfileState state = profiles.find(workspace, profileId)
                .orElseThrow(() -> new NotFound("no profile " + profileId + " in this workspace"));
        return new ProfileView(state, graph.identifiersOf(workspace, profileId));
    }

    public ProfileView byIdentifier(String workspace, String type, String value) {
        Identifier identifier = IdentifierQuery.parse(type, value);
        String profileId = graph.ownersOf(workspace, List.of(identifier)).get(identifier);
        if (profileId == null) {
            throw new NotFound("no profile holds " + identifier.type() + " with that value in this workspace");
        }
        return byId(workspace, profileId);
    }

    /**
     * The profile's day buckets between two days (ISO dates, both included; default the last 30 days of
     * {@code today}, at most 3,660 days at once).
     */
    public List<ProfileSettings.Day> days(String workspace, String profileId, String from, String to, LocalDate today) {
        byId(workspace, profileId);
        LocalDate last = date("to", to, today);
        LocalDate first = date("from", from, last.minusDays(29));
        if (first.isAfter(last) || first.plusDays(MAX_DAYS).isBefore(last)) {
            throw InvalidInput.of("'from' must not be after 'to', and at most " + MAX_DAYS + " days before it",
                    "from", "on or before 'to', at most " + MAX_DAYS + " days before it");
        }
        return days.daysOf(workspace, profileId, first, last);
    }

    private static LocalDate date(String name, String value, LocalDate otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw InvalidInput.of("query parameter '" + name + "' must be an ISO date like 2026-11-29", name,
                    "an ISO date like 2026-11-29");
        }
    }

    public List<MergeEntry> merges(String workspace, String profileId) {
        byId(workspace, profileId);
        return journal.mergesOf(workspace, profileId);
    }
}
