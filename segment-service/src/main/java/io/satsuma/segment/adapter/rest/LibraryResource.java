package io.satsuma.segment.adapter.rest;

import io.satsuma.segment.application.InstallLibrary;
import io.satsuma.segment.domain.SegmentLibrary;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The pre-built segment library. */
@Path("/v1/library")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Library", description = "The pre-built segment library")
public class LibraryResource {
    private final InstallLibrary install;
    private final CurrentWorkspace workspace;

    LibraryResource(InstallLibrary install, CurrentWorkspace workspace) {
        this.install = install;
        this.workspace = workspace;
    }

    @Schema(name = "Library", description = "The pre-built segments and the parameters their thresholds take")
    public record LibraryResponse(List<SegmentLibrary.Parameter> parameters, List<SegmentLibrary.Template> segments) {
    }

    /** The templates, their parameters and defaults. */
    @GET
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "segmentLibrary", summary = "The pre-built segment library",
            description = "Every template (Everyone, lifecycle stages, cart abandoners, …) with its parameters and their defaults.")
    @APIResponse(responseCode = "200", description = "parameters and templates",
            content = @Content(schema = @Schema(implementation = LibraryResponse.class)))
    public LibraryResponse library() {
        return new LibraryResponse(SegmentLibrary.PARAMETERS, SegmentLibrary.TEMPLATES);
    }

    @Schema(name = "LibraryInstallRequest", description = "Thresholds to install the templates with (defaults otherwise)")
    public record InstallRequest(@Schema(description = "parameter name → value", example = "{\"churnDays\": 150}")
                                 Map<String, Integer> parameters) {
    }

    @Schema(name = "LibraryInstallation", description = "What an installation created, and what it left (names taken)")
    public record InstallResponse(List<SegmentResource.SegmentResponse> created, List<String> skipped) {
    }

    /** Installs every template not yet in the workspace, with the given parameters (defaults otherwise). */
    @POST
    @Path("install")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"admin", "segment-editor"})
    @Operation(operationId = "installLibrary", summary = "Install the segment library",
            description = "Creates, in one transaction, every template whose name is not taken in the workspace yet; "
                    + "each is then an ordinary, editable segment with its own backfill.")
    @RequestBody(content = @Content(schema = @Schema(implementation = InstallRequest.class),
            examples = @ExampleObject(name = "longer churn", value = "{\"parameters\": {\"churnDays\": 150}}")))
    @APIResponse(responseCode = "200", description = "created and skipped templates",
            content = @Content(schema = @Schema(implementation = InstallResponse.class)))
    @APIResponse(responseCode = "400", description = "an unknown parameter or a value out of range; `errors` names each")
    public InstallResponse install(InstallRequest request) {
        String ws = workspace.id();
        InstallLibrary.Installed installed = install.install(ws, request == null ? Map.of() : request.parameters());
        return new InstallResponse(installed.created().stream().map(SegmentResource.SegmentResponse::from).toList(),
                installed.skipped());
    }
}
