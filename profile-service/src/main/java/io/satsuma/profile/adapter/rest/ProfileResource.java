package io.satsuma.profile.adapter.rest;

import io.satsuma.profile.application.FindProfiles;
import io.satsuma.profile.application.UnmergeProfiles;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The single customer view. */
@Path("/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Profiles")
@SecurityRequirement(name = "bearer")
public class ProfileResource {
    private final FindProfiles profiles;
    private final UnmergeProfiles unmerge;
    private final CurrentWorkspace workspace;
    private final JsonWebToken caller;
    private final Clock clock;

    ProfileResource(FindProfiles profiles, UnmergeProfiles unmerge,
                    CurrentWorkspace workspace, JsonWebToken caller, Clock clock) {
        this.clock = clock;
        this.profiles = profiles;
        this.unmerge = unmerge;
        this.workspace = workspace;
        this.caller = caller;
    }

    /** @param profileId the profile merged into this one that should exist again; reason is journaled */
    public record UnmergeRequest(String profileId, String reason) {
    }

    /** Both profiles after the unmerge, and the events that went back to the restored one. */
    public record UnmergeResponse(ProfileResponse survivor, ProfileResponse restored, List<String> eventIds) {
    }

    /**
     * Undoes the merge of {@code profileId} into this profile: it exists again with its own identifiers and
     * events, both profiles' traits and aggregates are recomputed, and the two are never merged again.
     */
    @POST
    @Path("{id}/unmerge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public UnmergeResponse unmerge(@PathParam("id") String id, UnmergeRequest request) {
        String ws = workspace.id();
        var outcome = unmerge.unmerge(ws, id, request == null ? null : request.profileId(),
                request == null ? null : request.reason(), caller.getName());
        return new UnmergeResponse(ProfileResponse.from(profiles.byId(ws, outcome.survivor().id())),
                ProfileResponse.from(profiles.byId(ws, outcome.restored().id())), outcome.eventIds());
    }

    @GET
    @Path("{id}")
    public ProfileResponse byId(@PathParam("id") String id) {
        return ProfileResponse.from(profiles.byId(workspace.id(), id));
    }

    /** Look-up by any identifier, e.g. {@code ?type=email&value=ann@example.com}. */
    @GET
    @Path("lookup")
    public ProfileResponse byIdentifier(@QueryParam("type") String type, @QueryParam("value") String value) {
        return ProfileResponse.from(profiles.byIdentifier(workspace.id(), type, value));
    }

    /** Day buckets (UTC days; the workspace's profile settings choose which events): {@code ?from=&to=}. */
    @GET
    @Path("{id}/days")
    public List<ProfileSettings.Day> days(@PathParam("id") String id,
                                                                    @QueryParam("from") String from,
                                                                    @QueryParam("to") String to) {
        return profiles.days(workspace.id(), id, from, to, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    @GET
    @Path("{id}/merges")
    public List<MergeEntry> merges(@PathParam("id") String id) {
        return profiles.merges(workspace.id(), id);
    }
}
