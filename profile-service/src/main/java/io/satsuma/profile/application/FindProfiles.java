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

    public List<MergeEntry> merges(String workspace, String profileId) {
        byId(workspace, profileId);
        return profiles.mergesOf(workspace, profileId);
    }
}
