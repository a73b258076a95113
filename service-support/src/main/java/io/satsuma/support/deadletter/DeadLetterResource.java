package io.satsuma.support.deadletter;

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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Dead letters of this service, for operators: what its consumers could not handle (topic, offset, reason,
 * time — never the payload), and a replay through the same idempotent handlers once the cause is mended.
 * Every service has it, scoped to the caller's workspace.
 */
@Path("/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Dead letters", description = "Records this service's consumers could not handle, and their replay")
public class DeadLetterResource {
    private final DeadLetterLog log;
    private final CurrentWorkspace workspace;

    DeadLetterResource(DeadLetterLog log, CurrentWorkspace workspace) {
        this.log = log;
        this.workspace = workspace;
    }

    @GET
    @Operation(operationId = "listDeadLetters", summary = "List this service's dead letters",
            description = "Records of the caller's workspace that a consumer of this service dead-lettered, oldest first: "
                    + "where they came from, why, when, and the last replay. Payloads are never shown.")
    @APIResponse(responseCode = "200", description = "the dead letters")
    public List<DeadLetterLog.DeadLetter> list() {
        return log.list(workspace.id());
    }

    /** Which dead letters to replay; none listed means all of the workspace's. */
    @Schema(description = "Which dead letters to replay; an empty or missing list replays all of the workspace's")
    public record ReplayRequest(@Schema(description = "ids from the listing", example = "[\"satsuma.memberships.v1.dlq/0/17\"]")
                                List<String> ids) {
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "replayDeadLetters", summary = "Replay dead letters",
            description = "Handles the chosen dead letters again through their consumer, one transaction each, and "
                    + "records each outcome. Consumers are idempotent: a record replayed twice counts once.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = ReplayRequest.class)))
    @APIResponse(responseCode = "200", description = "the outcome of each replayed dead letter")
    public List<DeadLetterLog.Replayed> replay(ReplayRequest request) throws InterruptedException {
        return log.replay(workspace.id(), request == null || request.ids() == null ? List.of() : request.ids());
    }
}
