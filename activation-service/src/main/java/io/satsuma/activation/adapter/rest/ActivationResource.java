package io.satsuma.activation.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.satsuma.activation.application.ManageSyncs;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.SyncStatus;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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

/** Destinations (where to send) and syncs (which segment goes where). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Activation")
@SecurityRequirement(name = "bearer")
public class ActivationResource {
    private final ManageSyncs syncs;
    private final CurrentWorkspace workspace;

    ActivationResource(ManageSyncs syncs, CurrentWorkspace workspace) {
        this.syncs = syncs;
        this.workspace = workspace;
    }

    public record DestinationRequest(String name, String type, String url, String secret) {
    }

    /** A destination; {@code secret} appears only in the response that created it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DestinationResponse(String id, String name, String type, String url, Instant createdAt, String secret) {
        static DestinationResponse from(Destination d, String secret) {
            return new DestinationResponse(d.id(), d.name(), d.type(), d.url(), d.createdAt(), secret);
        }
    }

    public record SyncRequest(String segmentId, String destinationId) {
    }

    @POST
    @Path("destinations")
    public Response createDestination(DestinationRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a destination is required: {name, type: \"webhook\", url, secret?}");
        }
        if (request.type() != null && !Destination.WEBHOOK.equals(request.type())) {
            throw ProblemException.badRequest("unsupported destination type", List.of(
                    new FieldError("/type", "only \"webhook\" is available so far")));
        }
        var created = syncs.createWebhook(workspace.id(), request.name(), request.url(), request.secret());
        return Response.status(201).entity(DestinationResponse.from(created.destination(), created.secret())).build();
    }

    @GET
    @Path("destinations")
    public List<DestinationResponse> destinations() {
        return syncs.destinations(workspace.id()).stream().map(d -> DestinationResponse.from(d, null)).toList();
    }

    @POST
    @Path("syncs")
    public Response createSync(SyncRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a sync is required: {segmentId, destinationId}");
        }
        Sync sync = syncs.createSync(workspace.id(), request.segmentId(), request.destinationId());
        return Response.status(201).entity(sync).build();
    }

    @GET
    @Path("syncs")
    public List<Sync> listSyncs() {
        return syncs.syncs(workspace.id());
    }

    /** How many dead-lettered deliveries went back into the queue. */
    public record ReplayResponse(String syncId, int requeued) {
    }

    @POST
    @Path("syncs/{id}/replay")
    public ReplayResponse replay(@PathParam("id") String id) {
        return new ReplayResponse(id, syncs.replayFailed(workspace.id(), id));
    }

    @GET
    @Path("syncs/{id}/status")
    public SyncStatus status(@PathParam("id") String id) {
        return syncs.status(workspace.id(), id);
    }
}
