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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Day buckets, their retention and the private traits of the caller's workspace. */
@Path("/v1/profile-settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Profile settings", description = "Day buckets, their retention and the private traits")
public class ProfileSettingsResource {
    private final ConfigureProfileSettings settings;
    private final CurrentWorkspace workspace;

    ProfileSettingsResource(ConfigureProfileSettings settings, CurrentWorkspace workspace) {
        this.settings = settings;
        this.workspace = workspace;
    }

    private static final String SETTINGS_EXAMPLE = """
            {"retentionDays": 90, "dayBuckets": [{"event": "Order Completed", "sum": "revenue"}, {"event": "page"}],
             "privateTraits": ["ssn"]}""";

    @GET
    @Operation(operationId = "getProfileSettings", summary = "The workspace's profile settings",
            description = "Which events are counted (and which property summed) per profile and day, how long those day "
                    + "buckets are kept, and which traits never leave profile-service. The defaults until saved.")
    @APIResponse(responseCode = "200", description = "the settings in force", content = @Content(
            schema = @Schema(implementation = ProfileSettings.class), examples = @ExampleObject(name = "settings", value = SETTINGS_EXAMPLE)))
    public ProfileSettings get() {
        return settings.of(workspace.id());
    }

    @PUT
    @Operation(operationId = "replaceProfileSettings", summary = "Replace the profile settings",
            description = "Applies to events recorded from now on; existing buckets are not rebuilt; a shorter retention "
                    + "takes effect at the next hourly sweep.")
    @RequestBody(required = true, content = @Content(
            schema = @Schema(implementation = ConfigureProfileSettings.SettingsRequest.class),
            examples = @ExampleObject(name = "settings", value = SETTINGS_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "the settings as saved",
            content = @Content(schema = @Schema(implementation = ProfileSettings.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or out of range; `errors` names each")
    public ProfileSettings replace(ConfigureProfileSettings.SettingsRequest request) {
        return settings.replace(workspace.id(), request);
    }
}
