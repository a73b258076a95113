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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Destinations (where to send) and syncs (which segment goes where). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Activation", description = "Destinations (channels) and syncs of segments to them")
public class ActivationResource {
    private final ManageSyncs syncs;
    private final CurrentWorkspace workspace;

    ActivationResource(ManageSyncs syncs, CurrentWorkspace workspace) {
        this.syncs = syncs;
        this.workspace = workspace;
    }

    @Schema(name = "DestinationRequest", description = "A new destination")
    public record DestinationRequest(@Schema(example = "crm webhook") String name,
                                     @Schema(description = "the channel type", example = "webhook") String type,
                                     @Schema(example = "https://crm.example.com/hooks/satsuma") String url,
                                     @Schema(description = "signing secret (at least 16 characters); generated when absent")
                                     String secret) {
    }

    /** A destination; {@code secret} appears only in the response that created it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Destination", description = "A destination; `secret` only in the answer that created it")
    public record DestinationResponse(String id, String name, String type, String url, Instant createdAt, String secret) {
        static DestinationResponse from(Destination d, String secret) {
            return new DestinationResponse(d.id(), d.name(), d.type(), d.url(), d.createdAt(), secret);
        }
    }

    @Schema(name = "SyncRequest", description = "Sync a segment to a destination")
    public record SyncRequest(String segmentId, String destinationId) {
    }

    @POST
    @Path("destinations")
    @Operation(operationId = "createDestination", summary = "Create a destination",
            description = "A channel a segment can be synced to. Its secret is encrypted at rest and shown in this answer only.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DestinationRequest.class),
            examples = @ExampleObject(name = "webhook", value = "{\"name\": \"crm\", \"type\": \"webhook\", "
                    + "\"url\": \"https://crm.example.com/hooks/satsuma\"}")))
    @APIResponse(responseCode = "201", description = "the destination and its secret",
            content = @Content(schema = @Schema(implementation = DestinationResponse.class)))
    @APIResponse(responseCode = "400", description = "a field is invalid; `errors` names each")
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
    @Operation(operationId = "listDestinations", summary = "List the destinations", description = "Without secrets.")
    @APIResponse(responseCode = "200", description = "the destinations",
            content = @Content(schema = @Schema(implementation = DestinationResponse.class, type = SchemaType.ARRAY)))
    public List<DestinationResponse> destinations() {
        return syncs.destinations(workspace.id()).stream().map(d -> DestinationResponse.from(d, null)).toList();
    }

    @POST
    @Path("syncs")
    @Operation(operationId = "createSync", summary = "Sync a segment to a destination",
            description = "From now on every entry and exit of the segment is delivered to the destination.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncRequest.class)))
    @APIResponse(responseCode = "201", description = "the sync", content = @Content(schema = @Schema(implementation = Sync.class)))
    @APIResponse(responseCode = "400", description = "the segment or the destination is missing or unknown")
    @APIResponse(responseCode = "409", description = "the segment already syncs to that destination")
    public Response createSync(SyncRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a sync is required: {segmentId, destinationId}");
        }
        Sync sync = syncs.createSync(workspace.id(), request.segmentId(), request.destinationId());
        return Response.status(201).entity(sync).build();
    }

    @GET
    @Path("syncs")
    @Operation(operationId = "listSyncs", summary = "List the syncs", description = "Every sync of the workspace.")
    @APIResponse(responseCode = "200", description = "the syncs",
            content = @Content(schema = @Schema(implementation = Sync.class, type = SchemaType.ARRAY)))
    public List<Sync> listSyncs() {
        return syncs.syncs(workspace.id());
    }

    /** How many dead-lettered deliveries went back into the queue. */
    @Schema(name = "SyncReplay", description = "How many failed deliveries went back into the queue")
    public record ReplayResponse(String syncId, int requeued) {
    }

    @POST
    @Path("syncs/{id}/replay")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "replaySync", summary = "Send a sync's failed deliveries again",
            description = "Puts its dead-lettered (`FAILED`) deliveries back in the queue, in their order; receivers "
                    + "deduplicate on the unchanged delivery id. Replaying twice requeues only what failed again.")
    @APIResponse(responseCode = "200", description = "how many were requeued",
            content = @Content(schema = @Schema(implementation = ReplayResponse.class)))
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public ReplayResponse replay(@Parameter(description = "sync id") @PathParam("id") String id) {
        return new ReplayResponse(id, syncs.replayFailed(workspace.id(), id));
    }

    @GET
    @Path("syncs/{id}/status")
    @Operation(operationId = "syncStatus", summary = "Status of a sync",
            description = "Deliveries sent, failed and pending, the oldest pending one's age, and the last error.")
    @APIResponse(responseCode = "200", description = "the status", content = @Content(schema = @Schema(implementation = SyncStatus.class)))
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public SyncStatus status(@Parameter(description = "sync id") @PathParam("id") String id) {
        return syncs.status(workspace.id(), id);
    }
}
