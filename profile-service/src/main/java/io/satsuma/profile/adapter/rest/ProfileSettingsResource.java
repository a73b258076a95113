package io.satsuma.profile.adapter.rest;

import io.satsuma.profile.application.ConfigureProfileSettings;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Day buckets, their retention and the private traits of the caller's workspace. */
@Path("/v1/profile-settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Profile settings")
@SecurityRequirement(name = "bearer")
public class ProfileSettingsResource {
    private final ConfigureProfileSettings settings;
    private final CurrentWorkspace workspace;

    ProfileSettingsResource(ConfigureProfileSettings settings, CurrentWorkspace workspace) {
        this.settings = settings;
        this.workspace = workspace;
    }

    @GET
    public ProfileSettings get() {
        return settings.of(workspace.id());
    }

    @PUT
    public ProfileSettings replace(ConfigureProfileSettings.SettingsRequest request) {
        return settings.replace(workspace.id(), request);
    }
}
