package io.satsuma.profile.adapter.rest;

import io.satsuma.profile.application.FindProfiles;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
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
    private final CurrentWorkspace workspace;

    ProfileResource(FindProfiles profiles, CurrentWorkspace workspace) {
        this.profiles = profiles;
        this.workspace = workspace;
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

    @GET
    @Path("{id}/merges")
    public List<MergeEntry> merges(@PathParam("id") String id) {
        return profiles.merges(workspace.id(), id);
    }
}
