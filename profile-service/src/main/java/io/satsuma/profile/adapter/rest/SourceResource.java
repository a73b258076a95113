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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sources and their write keys. */
@Path("/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Sources", description = "Where events come from; each has a write key (stored hashed)")
public class SourceResource {
    private final ManageSources sources;
    private final CurrentWorkspace workspace;

    SourceResource(ManageSources sources, CurrentWorkspace workspace) {
        this.sources = sources;
        this.workspace = workspace;
    }

    @Schema(name = "SourceRequest", description = "A new source")
    public record CreateSourceRequest(@Schema(description = "1 to 200 characters", example = "storefront") String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Source", description = "A source; `writeKey` only in the answer that created or rotated it")
    public record SourceResponse(String id, String name, Instant createdAt, Instant revokedAt, String writeKey) {
        static SourceResponse from(Source s, String writeKey) {
            return new SourceResponse(s.id(), s.name(), s.createdAt(), s.revokedAt(), writeKey);
        }
    }

    /** Creates a source; the response is the only time its write key is shown. */
    @POST
    @Operation(operationId = "createSource", summary = "Create a source",
            description = "A source and its write key, shown in this answer only (it is stored as a SHA-256 hash).")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateSourceRequest.class),
            examples = @ExampleObject(name = "storefront", value = "{\"name\": \"storefront\"}")))
    @APIResponse(responseCode = "201", description = "the source and its write key",
            content = @Content(schema = @Schema(implementation = SourceResponse.class), examples = @ExampleObject(
                    name = "created", value = "{\"id\": \"5c1e…\", \"name\": \"storefront\", "
                    + "\"createdAt\": \"2026-11-30T10:00:00Z\", \"writeKey\": \"wk_3fJ…\"}")))
    @APIResponse(responseCode = "400", description = "the name is missing or too long")
    public Response create(CreateSourceRequest request) {
        var created = sources.create(workspace.id(), request == null ? null : request.name());
        return Response.status(201).entity(SourceResponse.from(created.source(), created.writeKey())).build();
    }

    /** Replaces the write key; the response shows the new one, once. The old key stops working. */
    @POST
    @Path("{id}/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rotateWriteKey", summary = "Rotate a source's write key",
            description = "A new write key, shown once; the old one stops working at once on this instance and within "
                    + "30 s on the others.")
    @APIResponse(responseCode = "200", description = "the source and its new write key",
            content = @Content(schema = @Schema(implementation = SourceResponse.class)))
    @APIResponse(responseCode = "404", description = "no such source in the workspace")
    @APIResponse(responseCode = "409", description = "the source was revoked")
    public SourceResponse rotate(@Parameter(description = "source id") @PathParam("id") String id) {
        var rotated = sources.rotate(workspace.id(), id);
        return SourceResponse.from(rotated.source(), rotated.writeKey());
    }

    /** Revokes the source: its write key is refused from now on. */
    @DELETE
    @Path("{id}")
    @Operation(operationId = "revokeSource", summary = "Revoke a source", description = "Its write key is refused from now on.")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "404", description = "no such source in the workspace")
    @APIResponse(responseCode = "409", description = "already revoked")
    public Response revoke(@Parameter(description = "source id") @PathParam("id") String id) {
        sources.revoke(workspace.id(), id);
        return Response.noContent().build();
    }

    @GET
    @Operation(operationId = "listSources", summary = "List the sources", description = "The workspace's sources, without write keys.")
    @APIResponse(responseCode = "200", description = "the sources")
    public List<SourceResponse> list() {
        return sources.list(workspace.id()).stream().map(s -> SourceResponse.from(s, null)).toList();
    }
}
