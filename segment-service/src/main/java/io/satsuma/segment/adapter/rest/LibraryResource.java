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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The pre-built segment library. */
@Path("/v1/library")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Library")
@SecurityRequirement(name = "bearer")
public class LibraryResource {
    private final InstallLibrary install;
    private final CurrentWorkspace workspace;

    LibraryResource(InstallLibrary install, CurrentWorkspace workspace) {
        this.install = install;
        this.workspace = workspace;
    }

    public record LibraryResponse(List<SegmentLibrary.Parameter> parameters, List<SegmentLibrary.Template> segments) {
    }

    /** The templates, their parameters and defaults. */
    @GET
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public LibraryResponse library() {
        return new LibraryResponse(SegmentLibrary.PARAMETERS, SegmentLibrary.TEMPLATES);
    }

    public record InstallRequest(Map<String, Integer> parameters) {
    }

    public record InstallResponse(List<SegmentResource.SegmentResponse> created, List<String> skipped) {
    }

    /** Installs every template not yet in the workspace, with the given parameters (defaults otherwise). */
    @POST
    @Path("install")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"admin", "segment-editor"})
    public InstallResponse install(InstallRequest request) {
        String ws = workspace.id();
        InstallLibrary.Installed installed = install.install(ws, request == null ? Map.of() : request.parameters());
        return new InstallResponse(installed.created().stream().map(SegmentResource.SegmentResponse::from).toList(),
                installed.skipped());
    }
}
