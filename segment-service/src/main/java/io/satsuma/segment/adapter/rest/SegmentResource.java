package io.satsuma.segment.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.segment.application.BackfillSegment;
import io.satsuma.segment.application.DefineSegment;
import io.satsuma.segment.application.InspectMemberships;
import io.satsuma.segment.application.QueryMemberships;
import io.satsuma.segment.domain.ConditionError;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segment definitions, and the questions asked of one segment. */
@Path("/v1/segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Segments", description = "Segment definitions (the condition language), backfills, members, explain, preview")
public class SegmentResource {
    private static final String DEFINITION_EXAMPLE = """
            {"name": "Big spenders (90 days)", "description": "More than 1,000 in order revenue over 90 days",
             "condition": {"event": "Order Completed", "aggregate": "sum", "property": "revenue",
                           "within": "P90D", "op": "gt", "value": 1000},
             "holdoutPercent": 10}""";
    private static final String SEGMENT_EXAMPLE = """
            {"id": "7d0a5c55-0e1f-4a53-8d1c-4f1b0c6a9e21", "name": "Big spenders (90 days)",
             "description": "More than 1,000 in order revenue over 90 days",
             "condition": {"event": "Order Completed", "aggregate": "sum", "property": "revenue",
                           "within": "P90D", "op": "gt", "value": 1000},
             "holdoutPercent": 10, "version": 1,
             "createdAt": "2026-11-30T10:00:00Z", "updatedAt": "2026-11-30T10:00:00Z"}""";

    private final DefineSegment define;
    private final BackfillSegment backfill;
    private final QueryMemberships queries;
    private final InspectMemberships inspect;
    private final CurrentWorkspace workspace;

    SegmentResource(DefineSegment define, BackfillSegment backfill, QueryMemberships queries,
                    InspectMemberships inspect, CurrentWorkspace workspace) {
        this.define = define;
        this.queries = queries;
        this.inspect = inspect;
        this.backfill = backfill;
        this.workspace = workspace;
    }

    /** A definition as sent by a client. */
    @Schema(name = "SegmentDefinition", description = "A segment as a client defines it")
    public record SegmentRequest(
            @Schema(description = "unique in the workspace, 1 to 200 characters", example = "Big spenders (90 days)")
            String name,
            @Schema(description = "free text") String description,
            @Schema(description = "the condition, in the condition language (segment-service README)",
                    example = "{\"trait\": \"plan\", \"op\": \"eq\", \"value\": \"gold\"}") JsonNode condition,
            @Schema(description = "share of members held out as a control group, 0 to 50 with two decimals", example = "10")
            BigDecimal holdoutPercent,
            @Schema(description = "segments of one exclusion group hold a profile at most once", example = "lifecycle")
            String exclusionGroup,
            @Schema(description = "priority within the exclusion group, 1 first", example = "2") Integer groupPriority) {
        DefineSegment.Definition toDomain() {
            return new DefineSegment.Definition(name, description, condition, holdoutPercent, exclusionGroup, groupPriority);
        }
    }

    /** A definition as stored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Segment", description = "A segment as stored: its definition, version and times")
    public record SegmentResponse(String id, String name, String description, JsonNode condition,
                                  BigDecimal holdoutPercent, String exclusionGroup, Integer groupPriority, long version,
                                  Instant createdAt, Instant updatedAt,
                                  @Schema(description = "names in the condition the workspace has not seen yet")
                                  List<ConditionError> warnings) {
        static SegmentResponse from(Segment s) {
            return from(s, null);
        }

        static SegmentResponse from(Segment s, List<ConditionError> warnings) {
            return new SegmentResponse(s.id(), s.name(), s.description(), s.conditionJson(), s.holdoutPercent(),
                    s.exclusionGroup(), s.groupPriority(), s.version(), s.createdAt(), s.updatedAt(),
                    warnings == null || warnings.isEmpty() ? null : warnings);
        }
    }

    @POST
    @RolesAllowed({"admin", "segment-editor"})
    @Operation(operationId = "createSegment", summary = "Define a segment",
            description = "Validates the whole definition (every error with the JSON pointer of its node), stores it as "
                    + "version 1 and starts a backfill that evaluates it over every profile of the workspace.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SegmentRequest.class),
            examples = @ExampleObject(name = "big spenders", value = DEFINITION_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "the segment as stored, with warnings about unseen names",
            content = @Content(schema = @Schema(implementation = SegmentResponse.class),
                    examples = @ExampleObject(name = "stored", value = SEGMENT_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "the definition is invalid; `errors` names each bad node")
    @APIResponse(responseCode = "409", description = "a segment of that name exists in the workspace")
    public Response create(SegmentRequest request) {
        DefineSegment.Saved saved = define.create(workspace.id(), required(request).toDomain());
        return Response.status(201).entity(SegmentResponse.from(saved.segment(), saved.warnings())).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor"})
    @Operation(operationId = "updateSegment", summary = "Edit a segment",
            description = "Stores the definition as the segment's next version (the old ones stay readable), cancels "
                    + "its running backfill and starts a new one.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SegmentRequest.class),
            examples = @ExampleObject(name = "big spenders", value = DEFINITION_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "the new version",
            content = @Content(schema = @Schema(implementation = SegmentResponse.class)))
    @APIResponse(responseCode = "400", description = "the definition is invalid (or would create a reference cycle)")
    @APIResponse(responseCode = "404", description = "no such segment in the workspace")
    @APIResponse(responseCode = "409", description = "another segment of that name exists")
    public SegmentResponse update(@Parameter(description = "segment id") @PathParam("id") String id,
                                  SegmentRequest request) {
        DefineSegment.Saved saved = define.update(workspace.id(), id, required(request).toDomain());
        return SegmentResponse.from(saved.segment(), saved.warnings());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor"})
    @Operation(operationId = "deleteSegment", summary = "Delete a segment",
            description = "Every member exits (the exits are published, so channels remove them). A segment other "
                    + "segments refer to cannot be deleted.")
    @APIResponse(responseCode = "204", description = "deleted; its members have exited")
    @APIResponse(responseCode = "404", description = "no such segment in the workspace")
    @APIResponse(responseCode = "409", description = "other segments refer to it (the detail names them)")
    public Response delete(@Parameter(description = "segment id") @PathParam("id") String id) {
        define.delete(workspace.id(), id);
        return Response.noContent().build();
    }

    @GET
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "listSegments", summary = "List the segments", description = "Every live segment of the workspace.")
    @APIResponse(responseCode = "200", description = "the segments",
            content = @Content(schema = @Schema(implementation = SegmentResponse.class, type = SchemaType.ARRAY)))
    public List<SegmentResponse> list() {
        return define.list(workspace.id()).stream().map(SegmentResponse::from).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "getSegment", summary = "Read a segment", description = "The segment's current definition.")
    @APIResponse(responseCode = "200", description = "the segment",
            content = @Content(schema = @Schema(implementation = SegmentResponse.class),
                    examples = @ExampleObject(name = "stored", value = SEGMENT_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "no such segment in the workspace")
    public SegmentResponse get(@Parameter(description = "segment id") @PathParam("id") String id) {
        return SegmentResponse.from(define.find(workspace.id(), id));
    }

    @GET
    @Path("{id}/versions")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "segmentVersions", summary = "Versions of a segment",
            description = "Every saved version of the definition, oldest first (also of a deleted segment).")
    @APIResponse(responseCode = "200", description = "the versions", content = @Content(
            schema = @Schema(implementation = Segments.Version.class, type = SchemaType.ARRAY), examples = @ExampleObject(
            name = "two versions", value = """
                    [{"version": 1, "name": "Gold", "condition": {"trait": "plan", "op": "eq", "value": "gold"},
                      "holdoutPercent": 0, "savedAt": "2026-11-01T10:00:00Z"},
                     {"version": 2, "name": "Gold+", "condition": {"trait": "plan", "op": "in", "value": ["gold", "platinum"]},
                      "holdoutPercent": 0, "savedAt": "2026-11-20T10:00:00Z"}]""")))
    @APIResponse(responseCode = "404", description = "no such segment in the workspace")
    public List<Segments.Version> versions(@Parameter(description = "segment id") @PathParam("id") String id) {
        return define.versions(workspace.id(), id);
    }

    /** Progress of the segment's latest backfill. */
    @Schema(name = "Backfill", description = "Progress of a segment's latest backfill")
    public record BackfillResponse(String jobId, long segmentVersion,
                                   @Schema(description = "RUNNING, DONE or CANCELLED") String status,
                                   @Schema(description = "profiles evaluated so far") long done,
                                   @Schema(description = "profiles to evaluate") long total,
                                   @Schema(description = "profiles whose membership changed") long changed,
                                   double ratePerSecond,
                                   @Schema(description = "estimated seconds to completion; null when unknown") Long etaSeconds,
                                   Instant startedAt, Instant finishedAt) {
    }

    @GET
    @Path("{id}/backfill")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "segmentBackfill", summary = "Backfill progress",
            description = "Progress of the segment's latest backfill: done/total, changed, rate and ETA.")
    @APIResponse(responseCode = "200", description = "the latest backfill",
            content = @Content(schema = @Schema(implementation = BackfillResponse.class),
                    examples = @ExampleObject(name = "running", value = """
                            {"jobId": "1d8f…", "segmentVersion": 2, "status": "RUNNING", "done": 250000,
                             "total": 1000000, "changed": 25159, "ratePerSecond": 118000.0, "etaSeconds": 6,
                             "startedAt": "2026-11-30T10:00:00Z"}""")))
    @APIResponse(responseCode = "404", description = "no such segment, or it has no backfill")
    public BackfillResponse backfill(@Parameter(description = "segment id") @PathParam("id") String id) {
        String ws = workspace.id();
        define.find(ws, id);
        var progress = backfill.progress(ws, id)
                .orElseThrow(() -> ProblemException.notFound("segment " + id + " has no backfill"));
        var job = progress.job();
        return new BackfillResponse(job.id(), job.segmentVersion(), job.status(), job.done(), Math.max(job.total(), job.done()),
                job.changed(), Math.round(progress.ratePerSecond() * 10) / 10.0,
                progress.eta() == null ? null : progress.eta().toSeconds(), job.startedAt(), job.finishedAt());
    }

    /** Whether a profile is a member of the segment now. */
    @Schema(name = "Member", description = "Whether a profile is in the segment now")
    public record MemberResponse(String segmentId, String profileId, boolean member) {
    }

    @GET
    @Path("{id}/members/{profileId}")
    @RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
    @Operation(operationId = "isMember", summary = "Is a profile in the segment",
            description = "Whether the profile is in the segment now (served from the cache).")
    @APIResponse(responseCode = "200", description = "the answer",
            content = @Content(schema = @Schema(implementation = MemberResponse.class)))
    public MemberResponse isMember(@Parameter(description = "segment id") @PathParam("id") String id,
                                   @Parameter(description = "profile id") @PathParam("profileId") String profileId) {
        return new MemberResponse(id, profileId, queries.isMember(workspace.id(), id, profileId));
    }

    @GET
    @Path("{id}/explain/{profileId}")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "explainMembership", summary = "Explain a profile's membership",
            description = "The condition tree with each node's observed value and result for the profile now, its "
                    + "membership, and `nextChangeAt`: the instant time alone would change it.")
    @APIResponse(responseCode = "200", description = "the explanation", content = @Content(
            schema = @Schema(implementation = InspectMemberships.Explain.class), examples = @ExampleObject(
            name = "recent buyer", value = """
                    {"segmentId": "7d0a…", "profileId": "0b7c…", "at": "2026-11-30T10:00:00Z", "member": true,
                     "matches": true, "nextChangeAt": "2026-12-28T09:14:03Z",
                     "condition": {"node": "event", "observed": 1, "result": true}}""")))
    @APIResponse(responseCode = "404", description = "no such segment in the workspace")
    public InspectMemberships.Explain explain(@Parameter(description = "segment id") @PathParam("id") String id,
                                              @Parameter(description = "profile id") @PathParam("profileId") String profileId) {
        return inspect.explain(workspace.id(), id, profileId);
    }

    @GET
    @Path("{id}/members")
    @RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
    @Operation(operationId = "segmentMembers", summary = "Members of a segment",
            description = "Members now, or at a past instant (from the history), in profile-id order, a page at a "
                    + "time: pass `nextCursor` back as `cursor` until it is null.")
    @APIResponse(responseCode = "200", description = "one page", content = @Content(
            schema = @Schema(implementation = InspectMemberships.MembersPage.class), examples = @ExampleObject(name = "page",
            value = """
                    {"segmentId": "7d0a…", "profileIds": ["0b7c…", "1a2b…"], "nextCursor": "1a2b…"}""")))
    @APIResponse(responseCode = "400", description = "`at` is not an ISO-8601 instant, or `limit` is outside 1..1000")
    @APIResponse(responseCode = "404", description = "no such segment in the workspace")
    public InspectMemberships.MembersPage members(
            @Parameter(description = "segment id") @PathParam("id") String id,
            @Parameter(description = "an ISO-8601 instant: members then instead of now", example = "2026-11-01T00:00:00Z")
            @QueryParam("at") String at,
            @Parameter(description = "`nextCursor` of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "page size, 1 to 1000") @QueryParam("limit") @DefaultValue("100") int limit) {
        return inspect.members(workspace.id(), id, instant("at", at), cursor, limit);
    }

    @Schema(name = "Size", description = "How many members a segment has now")
    public record SizeResponse(String segmentId, long size) {
    }

    @GET
    @Path("{id}/size")
    @RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
    @Operation(operationId = "segmentSize", summary = "Size of a segment", description = "How many members it has now.")
    @APIResponse(responseCode = "200", description = "the size", content = @Content(schema = @Schema(implementation = SizeResponse.class)))
    @APIResponse(responseCode = "404", description = "no such segment in the workspace")
    public SizeResponse size(@Parameter(description = "segment id") @PathParam("id") String id) {
        return new SizeResponse(id, inspect.size(workspace.id(), id));
    }

    @Schema(name = "PreviewRequest", description = "An unsaved condition, now or at a past instant")
    public record PreviewRequest(@Schema(description = "a condition in the condition language") JsonNode condition,
                                 @Schema(description = "a past instant to evaluate at (point in time); now if absent")
                                 Instant at) {
    }

    @Schema(name = "JourneyRequest", description = "Stages (segment ids in priority order) and two instants")
    public record JourneyRequest(List<String> segments, Instant from, Instant to) {
    }

    @Schema(name = "JourneySeriesRequest", description = "Stages, a range and the length of its periods")
    public record JourneySeriesRequest(List<String> segments, Instant from, Instant to,
                                       @Schema(description = "day, week or month (calendar months in UTC)") String period) {
    }

    @POST
    @Path("preview")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "previewSegment", summary = "Preview an unsaved condition",
            description = "Its size now (or at a past instant `at`) and a sample of members, over at most 100,000 profiles "
                    + "(`complete` says whether all were evaluated). At a past instant each profile is taken as it stood "
                    + "then: its events up to it, its order aggregates ($profile.orderCount, firstOrderAt, lastOrderAt, "
                    + "totalRevenue) recomputed from its orders up to it, its other aggregates absent and its traits as "
                    + "now. Stores and publishes nothing.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = PreviewRequest.class),
            examples = @ExampleObject(name = "gold", value = "{\"condition\": {\"trait\": \"plan\", \"op\": \"eq\", \"value\": \"gold\"}}")))
    @APIResponse(responseCode = "200", description = "size and sample", content = @Content(
            schema = @Schema(implementation = InspectMemberships.Preview.class), examples = @ExampleObject(
            name = "preview", value = "{\"size\": 2, \"sample\": [\"0b7c…\", \"1a2b…\"], \"evaluated\": 42, \"complete\": true}")))
    @APIResponse(responseCode = "400", description = "the condition is missing or invalid; `errors` names each bad node")
    public InspectMemberships.Preview preview(PreviewRequest request) {
        return inspect.preview(workspace.id(), request == null ? null : request.condition(),
                request == null ? null : request.at());
    }

    @POST
    @Path("journey")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "segmentJourney", summary = "How profiles moved between stages, point in time",
            description = "Evaluates the saved definitions of the stages (e.g. the lifecycle group's, in priority order) "
                    + "at both instants over the profiles as they stood then (see preview): counts[i][j] profiles were "
                    + "in stage i at 'from' and stage j at 'to', the last row and column being 'none'. For imported "
                    + "history, where memberships were recorded at import time. At most 100,000 profiles.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = JourneyRequest.class),
            examples = @ExampleObject(name = "a year", value = "{\"segments\": [\"7d0a…\", \"91be…\"], "
                    + "\"from\": \"2025-12-01T00:00:00Z\", \"to\": \"2026-12-01T00:00:00Z\"}")))
    @APIResponse(responseCode = "200", description = "the transition matrix",
            content = @Content(schema = @Schema(implementation = InspectMemberships.Journey.class)))
    @APIResponse(responseCode = "400", description = "no stage or more than 20, an instant missing, in the future or "
            + "reversed")
    @APIResponse(responseCode = "404", description = "a stage is not a segment of this workspace")
    public InspectMemberships.Journey journey(JourneyRequest request) {
        requireInstants(request == null ? null : request.from(), request == null ? null : request.to());
        return inspect.journey(workspace.id(), request.segments(), request.from(), request.to());
    }

    @POST
    @Path("journey/series")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "segmentJourneySeries", summary = "Journeys period by period, point in time",
            description = "The journey of every period of the range (days, weeks or calendar months from 'from'; the last "
                    + "ends at 'to'), in one pass over the profiles: a year of imported orders as twelve monthly "
                    + "transition matrices. At most 60 periods and 100,000 profiles.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = JourneySeriesRequest.class),
            examples = @ExampleObject(name = "months", value = "{\"segments\": [\"7d0a…\", \"91be…\"], "
                    + "\"from\": \"2025-12-01T00:00:00Z\", \"to\": \"2026-12-01T00:00:00Z\", \"period\": \"month\"}")))
    @APIResponse(responseCode = "200", description = "one transition matrix per period",
            content = @Content(schema = @Schema(implementation = InspectMemberships.Journey.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "no stage or more than 20, an instant missing, in the future or "
            + "reversed, an unknown period, or more than 60 periods")
    @APIResponse(responseCode = "404", description = "a stage is not a segment of this workspace")
    public List<InspectMemberships.Journey> journeySeries(JourneySeriesRequest request) {
        return inspect.journeys(workspace.id(), request == null ? null : request.segments(), seriesBoundaries(request));
    }

    /** The instants that cut a series request's range into its periods (the last period ends at 'to'). */
    static List<Instant> seriesBoundaries(JourneySeriesRequest request) {
        requireInstants(request == null ? null : request.from(), request == null ? null : request.to());
        String period = request.period() == null ? "month" : request.period().trim().toLowerCase(Locale.ROOT);
        if (!List.of("day", "week", "month").contains(period)) {
            throw new InvalidInput("the period must be day, week or month", List.of(new FieldError("/period",
                    "day, week or month; got " + request.period())));
        }
        List<Instant> boundaries = new ArrayList<>();
        ZonedDateTime at = request.from().atZone(ZoneOffset.UTC);
        while (at.toInstant().isBefore(request.to()) && boundaries.size() <= InspectMemberships.MAX_PERIODS + 1) {
            boundaries.add(at.toInstant());
            at = switch (period) {
                case "day" -> at.plusDays(1);
                case "week" -> at.plusWeeks(1);
                default -> at.plusMonths(1);
            };
        }
        boundaries.add(request.to());
        return boundaries;
    }

    private static void requireInstants(Instant from, Instant to) {
        if (from == null || to == null) {
            throw new InvalidInput("'from' and 'to' are required", List.of(new FieldError("/from", "an instant"),
                    new FieldError("/to", "an instant")));
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be an ISO-8601 instant",
                    List.of(new FieldError(name, "e.g. 2026-11-24T10:00:00Z, got " + value)));
        }
    }

    private static SegmentRequest required(SegmentRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a segment definition is required: {name, description?, condition}");
        }
        return request;
    }
}
