package io.satsuma.profile.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

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
        if (type == null || type.isBlank() || value == null || value.isBlank()) {
            throw ProblemException.badRequest("query parameters 'type' and 'value' are required", List.of(
                    new ProblemException.FieldError("type", "identifier type, e.g. user_id, email, anonymous_id"),
                    new ProblemException.FieldError("value", "identifier value")));
        }
        String normalised = "email".equals(type) ? value.trim().toLowerCase(Locale.ROOT) : value.trim();
        Identifier identifier = new Identifier(type, normalised);
        String profileId = profiles.ownersOf(workspace, List.of(identifier)).get(identifier);
        if (profileId == null) {
            throw ProblemException.notFound("no profile holds " + type + " with that value in this workspace");
        }
        return byId(workspace, profileId);
    }

    public List<MergeEntry> merges(String workspace, String profileId) {
        byId(workspace, profileId);
        return profiles.mergesOf(workspace, profileId);
    }
}
