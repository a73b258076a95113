package io.satsuma.activation.adapter.rest;

import io.satsuma.activation.application.DeliveryLog;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The delivery log of one person. */
@Path("/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Syncs")
public class ProfileDeliveriesResource {
    private final DeliveryLog log;
    private final CurrentWorkspace workspace;

    ProfileDeliveriesResource(DeliveryLog log, CurrentWorkspace workspace) {
        this.log = log;
        this.workspace = workspace;
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(operationId = "profileDeliveries", summary = "What was sent to a person",
            description = "Their last 200 messages, newest first (sent, failed with the reason, skipped with the reason "
                    + "such as no consent, pending), and whether each audience of the workspace holds them now.")
    @APIResponse(responseCode = "200", description = "the log (empty for an unknown or erased profile)",
            content = @Content(schema = @Schema(implementation = DeliveryLog.Log.class)))
    @APIResponse(responseCode = "401", description = "no valid bearer token")
    public DeliveryLog.Log deliveries(@Parameter(description = "profile id") @PathParam("id") String id) {
        return log.of(workspace.id(), id);
    }
}
