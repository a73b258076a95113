package io.satsuma.activation.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.satsuma.activation.application.ManageSyncs;
import io.satsuma.activation.domain.MessageTemplate;
import io.satsuma.activation.domain.QuietHours;
import io.satsuma.activation.domain.Sync;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Syncs: which segment goes to which destination, how, and how it is doing. */
@Path("/v1/syncs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Syncs", description = "Segments mirrored to audiences or turned into messages")
public class SyncResource {
    private final ManageSyncs syncs;
    private final CurrentWorkspace workspace;

    SyncResource(ManageSyncs syncs, CurrentWorkspace workspace) {
        this.syncs = syncs;
        this.workspace = workspace;
    }

    @Schema(name = "QuietHours", description = "No message between start and end in the person's local time (their "
            + "`timezone` trait, else `timeZone`); a message due then waits for the end")
    public record QuietHoursBody(@Schema(example = "21:00") String start, @Schema(example = "08:00") String end,
                                 @Schema(example = "Europe/London") String timeZone) {
    }

    @Schema(name = "MessageTemplate", description = "Qute templates over `traits`, `profile.id`, `segment.id`, "
            + "`segment.name`; a missing value renders empty (`{traits.first_name ?: 'there'}` gives a fallback)")
    public record TemplateBody(@Schema(description = "push title") String title,
                               @Schema(description = "SMS text or push body", example = "Hi {traits.first_name ?: 'there'}, 10% off today")
                               String body,
                               @Schema(description = "push data, values are templates") Map<String, String> data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SyncSettings", description = "How the sync reaches people")
    public record SettingsBody(
            @Schema(description = "REQUIRED (default: only people who granted the channel's consent) or UNLESS_REVOKED")
            String consentPolicy,
            @Schema(description = "destination field -> trait path (alternatives separated by |); each type has defaults")
            Map<String, String> mapping,
            TemplateBody template,
            QuietHoursBody quietHours,
            @Schema(description = "Klaviyo: subscribe added people to email marketing") Boolean subscribe,
            @Schema(description = "Mailchimp: the tag that marks the segment's members") String tag,
            @Schema(description = "Mailchimp: subscribed (default), pending or transactional") String statusIfNew) {
    }

    @Schema(name = "SyncRequest", description = "Sync a segment to a destination")
    public record SyncRequest(String segmentId, String destinationId,
                              @Schema(description = "MIRROR (audiences), ON_ENTER or ON_ENTER_AND_EXIT (messages); "
                                      + "defaults by destination type") String mode,
                              SettingsBody settings) {
        ManageSyncs.NewSync toNewSync() {
            SettingsBody s = settings;
            TemplateBody t = s == null ? null : s.template();
            QuietHoursBody q = s == null ? null : s.quietHours();
            return new ManageSyncs.NewSync(segmentId, destinationId, mode, s == null ? null : s.consentPolicy(),
                    s == null ? null : s.mapping(), t == null ? null : new MessageTemplate(t.title(), t.body(), t.data()),
                    q == null ? null : q.start(), q == null ? null : q.end(), q == null ? null : q.timeZone(), q != null,
                    s == null ? null : s.subscribe(), s == null ? null : s.tag(), s == null ? null : s.statusIfNew());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Sync", description = "A sync; `state` PAUSED with `pausedReason` when the destination refused its "
            + "credentials")
    public record SyncResponse(String id, String segmentId, String destinationId, String mode, SettingsBody settings,
                               String state, String pausedReason, Instant createdAt) {
        static SyncResponse from(Sync s) {
            var st = s.settings();
            QuietHours q = st.quietHours();
            MessageTemplate t = st.template();
            SettingsBody settings = new SettingsBody(st.consentPolicy().name(), st.mapping().isEmpty() ? null : st.mapping(),
                    t == null ? null : new TemplateBody(t.title(), t.body(), t.data().isEmpty() ? null : t.data()),
                    q == null ? null : new QuietHoursBody(q.start().toString(), q.end().toString(), q.defaultZone().getId()),
                    st.subscribe() ? Boolean.TRUE : null, st.tag(), st.statusIfNew());
            return new SyncResponse(s.id(), s.segmentId(), s.destinationId(), s.mode().name(), settings, s.state().name(),
                    s.pausedReason(), s.createdAt());
        }
    }

    @POST
    @Operation(operationId = "createSync", summary = "Sync a segment to a destination",
            description = "An audience sync (MIRROR) starts with a full upload of the segment's current consented members, "
                    + "then keeps the destination equal to them; a message sync sends one message per entry (and exit). "
                    + "Settings are checked against the destination type and templates parsed before anything is saved.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncRequest.class), examples = {
            @ExampleObject(name = "audience", value = "{\"segmentId\": \"2f0c...\", \"destinationId\": \"9a1e...\"}"),
            @ExampleObject(name = "sms", value = "{\"segmentId\": \"2f0c...\", \"destinationId\": \"77b2...\", "
                    + "\"mode\": \"ON_ENTER\", \"settings\": {\"template\": {\"body\": \"Hi {traits.first_name ?: "
                    + "'there'}, your basket misses you\"}, \"quietHours\": {\"start\": \"21:00\", \"end\": \"08:00\", "
                    + "\"timeZone\": \"Europe/London\"}}}")}))
    @APIResponse(responseCode = "201", description = "the sync", content = @Content(schema = @Schema(implementation = SyncResponse.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or invalid (each named with a pointer)")
    @APIResponse(responseCode = "409", description = "the segment already syncs there, or the audience holds another segment")
    public Response create(SyncRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a sync is required: {segmentId, destinationId, mode?, settings?}");
        }
        return Response.status(201).entity(SyncResponse.from(syncs.create(workspace.id(), request.toNewSync()))).build();
    }

    @GET
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "listSyncs", summary = "List the syncs", description = "Every sync of the workspace.")
    @APIResponse(responseCode = "200", description = "the syncs",
            content = @Content(schema = @Schema(implementation = SyncResponse.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "401", description = "no valid bearer token")
    public List<SyncResponse> list() {
        return syncs.list(workspace.id()).stream().map(SyncResponse::from).toList();
    }

    @GET
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Path("{id}")
    @Operation(operationId = "getSync", summary = "Get a sync", description = "Its settings and state.")
    @APIResponse(responseCode = "200", description = "the sync", content = @Content(schema = @Schema(implementation = SyncResponse.class)))
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public SyncResponse get(@Parameter(description = "sync id") @PathParam("id") String id) {
        return SyncResponse.from(syncs.get(workspace.id(), id));
    }

    @GET
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Path("{id}/status")
    @Operation(operationId = "syncStatus", summary = "Status of a sync",
            description = "Audiences: members in the destination (confirmed), people pending, added/removed and failed "
                    + "counts, lag, last error, and the full upload's progress, rate and ETA. Messages: sent, failed, "
                    + "skipped (no consent, no contact point) and pending, lag, last error. Both: paused reason.")
    @APIResponse(responseCode = "200", description = "the status",
            content = @Content(schema = @Schema(implementation = ManageSyncs.Status.class)))
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public ManageSyncs.Status status(@Parameter(description = "sync id") @PathParam("id") String id) {
        return syncs.status(workspace.id(), id);
    }

    @Schema(name = "Resync", description = "How many people are checked again")
    public record ResyncResponse(String syncId, long checking) {
    }

    @POST
    @Path("{id}/resync")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "resyncSync", summary = "Reconcile an audience with its segment",
            description = "Diffs the segment's current consented members against the ledger of what the destination "
                    + "holds and sends only the difference; progress shows in the status like an upload.")
    @APIResponse(responseCode = "200", description = "the reconciliation started",
            content = @Content(schema = @Schema(implementation = ResyncResponse.class)))
    @APIResponse(responseCode = "400", description = "the sync sends messages (replay its failures instead)")
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public ResyncResponse resync(@Parameter(description = "sync id") @PathParam("id") String id) {
        return new ResyncResponse(id, syncs.resync(workspace.id(), id));
    }

    @Schema(name = "Resume", description = "Whether the sync was paused")
    public record ResumeResponse(String syncId, boolean resumed) {
    }

    @POST
    @Path("{id}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "resumeSync", summary = "Resume a paused sync",
            description = "After mending what the pause reason says (replacing the secrets resumes on its own).")
    @APIResponse(responseCode = "200", description = "resumed, or was not paused",
            content = @Content(schema = @Schema(implementation = ResumeResponse.class)))
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public ResumeResponse resume(@Parameter(description = "sync id") @PathParam("id") String id) {
        return new ResumeResponse(id, syncs.resume(workspace.id(), id));
    }

    /** How many dead-lettered deliveries went back into the queue. */
    @Schema(name = "SyncReplay", description = "How many failed deliveries went back into the queue")
    public record ReplayResponse(String syncId, int requeued) {
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "replaySync", summary = "Send a sync's failed messages again",
            description = "Puts its dead-lettered (`FAILED`) deliveries back in the queue, in their order; receivers "
                    + "deduplicate on the unchanged delivery id. Replaying twice requeues only what failed again.")
    @APIResponse(responseCode = "200", description = "how many were requeued",
            content = @Content(schema = @Schema(implementation = ReplayResponse.class)))
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public ReplayResponse replay(@Parameter(description = "sync id") @PathParam("id") String id) {
        return new ReplayResponse(id, syncs.replayFailed(workspace.id(), id));
    }

    @GET
    @Path("{id}/preview")
    @Operation(operationId = "previewSync", summary = "Preview what a sync sends a person",
            description = "The audience payload (hashed as sent) or the rendered message for the profile, from "
                    + "activation's own projection, or why nothing would be sent. Nothing is sent.")
    @APIResponse(responseCode = "200", description = "the preview",
            content = @Content(schema = @Schema(implementation = ManageSyncs.Preview.class)))
    @APIResponse(responseCode = "400", description = "no profileId")
    @APIResponse(responseCode = "404", description = "no such sync in the workspace")
    public ManageSyncs.Preview preview(@Parameter(description = "sync id") @PathParam("id") String id,
                                       @Parameter(description = "the profile to render for") @QueryParam("profileId")
                                       String profileId) {
        return syncs.preview(workspace.id(), id, profileId);
    }

    @Schema(name = "SyncPreviewRequest", description = "A sync as it would be created, and the profile to preview it for")
    public record PreviewRequest(String segmentId, String destinationId, String mode, SettingsBody settings,
                                 String profileId) {
    }

    @POST
    @Path("preview")
    @Operation(operationId = "previewNewSync", summary = "Preview a sync before creating it",
            description = "Validates the sync as `createSync` would and shows what it would send the profile.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = PreviewRequest.class)))
    @APIResponse(responseCode = "200", description = "the preview",
            content = @Content(schema = @Schema(implementation = ManageSyncs.Preview.class)))
    @APIResponse(responseCode = "400", description = "the sync is invalid (each problem named with a pointer) or no profileId")
    public ManageSyncs.Preview previewNew(PreviewRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a preview is required: {segmentId, destinationId, mode?, settings?, profileId}");
        }
        SyncRequest sync = new SyncRequest(request.segmentId(), request.destinationId(), request.mode(), request.settings());
        return syncs.preview(workspace.id(), sync.toNewSync(), request.profileId());
    }
}
