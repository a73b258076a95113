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
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segment definitions. */
@Path("/v1/segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Segments")
@SecurityRequirement(name = "bearer")
public class SegmentResource {
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
    public record SegmentRequest(String name, String description, JsonNode condition, BigDecimal holdoutPercent,
                                 String exclusionGroup, Integer groupPriority) {
        DefineSegment.Definition toDomain() {
            return new DefineSegment.Definition(name, description, condition, holdoutPercent, exclusionGroup, groupPriority);
        }
    }

    /** A definition as stored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SegmentResponse(String id, String name, String description, JsonNode condition,
                                  BigDecimal holdoutPercent, String exclusionGroup, Integer groupPriority, long version,
                                  Instant createdAt, Instant updatedAt, List<ConditionError> warnings) {
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
    public Response create(SegmentRequest request) {
        SegmentRequest r = required(request);
        DefineSegment.Saved saved = define.create(workspace.id(), r.toDomain());
        return Response.status(201).entity(SegmentResponse.from(saved.segment(), saved.warnings())).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor"})
    public SegmentResponse update(@PathParam("id") String id, SegmentRequest request) {
        SegmentRequest r = required(request);
        DefineSegment.Saved saved = define.update(workspace.id(), id, r.toDomain());
        return SegmentResponse.from(saved.segment(), saved.warnings());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor"})
    public Response delete(@PathParam("id") String id) {
        define.delete(workspace.id(), id);
        return Response.noContent().build();
    }

    @GET
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public List<SegmentResponse> list() {
        return define.list(workspace.id()).stream().map(SegmentResponse::from).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public SegmentResponse get(@PathParam("id") String id) {
        return SegmentResponse.from(define.find(workspace.id(), id));
    }

    @GET
    @Path("{id}/versions")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public List<Segments.Version> versions(@PathParam("id") String id) {
        return define.versions(workspace.id(), id);
    }

    /** Progress of the segment's latest backfill. */
    public record BackfillResponse(String jobId, long segmentVersion, String status, long done, long total, long changed,
                                   double ratePerSecond, Long etaSeconds, Instant startedAt, Instant finishedAt) {
    }

    @GET
    @Path("{id}/backfill")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public BackfillResponse backfill(@PathParam("id") String id) {
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
    public record MemberResponse(String segmentId, String profileId, boolean member) {
    }

    @GET
    @Path("{id}/members/{profileId}")
    @RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
    public MemberResponse isMember(@PathParam("id") String id, @PathParam("profileId") String profileId) {
        return new MemberResponse(id, profileId, queries.isMember(workspace.id(), id, profileId));
    }

    @GET
    @Path("{id}/explain/{profileId}")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public InspectMemberships.Explain explain(@PathParam("id") String id, @PathParam("profileId") String profileId) {
        return inspect.explain(workspace.id(), id, profileId);
    }

    /** Members now, or at instant {@code at} (ISO-8601), in pages: pass {@code nextCursor} back as {@code cursor}. */
    @GET
    @Path("{id}/members")
    @RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
    public InspectMemberships.MembersPage members(@PathParam("id") String id, @QueryParam("at") String at,
                                                  @QueryParam("cursor") String cursor,
                                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        return inspect.members(workspace.id(), id, instant("at", at), cursor, limit);
    }

    public record SizeResponse(String segmentId, long size) {
    }

    @GET
    @Path("{id}/size")
    @RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
    public SizeResponse size(@PathParam("id") String id) {
        return new SizeResponse(id, inspect.size(workspace.id(), id));
    }

    public record PreviewRequest(JsonNode condition) {
    }

    /** Size and a sample of an unsaved definition; stores and publishes nothing. */
    @POST
    @Path("preview")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public InspectMemberships.Preview preview(PreviewRequest request) {
        return inspect.preview(workspace.id(), request == null ? null : request.condition());
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
