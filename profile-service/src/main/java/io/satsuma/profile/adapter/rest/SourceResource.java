package io.satsuma.profile.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.satsuma.profile.application.ManageSources;
import io.satsuma.profile.domain.Source;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sources and their write keys. */
@Path("/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Sources")
@SecurityRequirement(name = "bearer")
public class SourceResource {
    private final ManageSources sources;
    private final CurrentWorkspace workspace;

    SourceResource(ManageSources sources, CurrentWorkspace workspace) {
        this.sources = sources;
        this.workspace = workspace;
    }

    public record CreateSourceRequest(String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceResponse(String id, String name, Instant createdAt, Instant revokedAt, String writeKey) {
        static SourceResponse from(Source s, String writeKey) {
            return new SourceResponse(s.id(), s.name(), s.createdAt(), s.revokedAt(), writeKey);
        }
    }

    /** Creates a source; the response is the only time its write key is shown. */
    @POST
    public Response create(CreateSourceRequest request) {
        var created = sources.create(workspace.id(), request == null ? null : request.name());
        return Response.status(201).entity(SourceResponse.from(created.source(), created.writeKey())).build();
    }

    /** Replaces the write key; the response shows the new one, once. The old key stops working. */
    @POST
    @Path("{id}/rotate")
    @Consumes(MediaType.WILDCARD)
    public SourceResponse rotate(@PathParam("id") String id) {
        var rotated = sources.rotate(workspace.id(), id);
        return SourceResponse.from(rotated.source(), rotated.writeKey());
    }

    /** Revokes the source: its write key is refused from now on. */
    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        sources.revoke(workspace.id(), id);
        return Response.noContent().build();
    }

    @GET
    public List<SourceResponse> list() {
        return sources.list(workspace.id()).stream().map(s -> SourceResponse.from(s, null)).toList();
    }
}
