package io.satsuma.segment.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.segment.application.BackfillSegment;
import io.satsuma.segment.application.DefineSegment;
import io.satsuma.segment.application.QueryMemberships;
import io.satsuma.segment.domain.Segment;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
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
    private final CurrentWorkspace workspace;

    SegmentResource(DefineSegment define, BackfillSegment backfill, QueryMemberships queries,
                    CurrentWorkspace workspace) {
        this.define = define;
        this.queries = queries;
        this.backfill = backfill;
        this.workspace = workspace;
    }

    /** A definition as sent by a client. */
    public record SegmentRequest(String name, String description, JsonNode condition) {
    }

    /** A definition as stored. */
    public record SegmentResponse(String id, String name, String description, JsonNode condition, long version,
                                  Instant createdAt, Instant updatedAt) {
        static SegmentResponse from(Segment s) {
            return new SegmentResponse(s.id(), s.name(), s.description(), s.conditionJson(), s.version(),
                    s.createdAt(), s.updatedAt());
        }
    }

    @POST
    @RolesAllowed({"admin", "segment-editor"})
    public Response create(SegmentRequest request) {
        SegmentRequest r = required(request);
        Segment segment = define.create(workspace.id(), r.name(), r.description(), r.condition());
        backfill.start(segment.workspace(), segment.id());
        return Response.status(201).entity(SegmentResponse.from(segment)).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor"})
    public SegmentResponse update(@PathParam("id") String id, SegmentRequest request) {
        SegmentRequest r = required(request);
        Segment segment = define.update(workspace.id(), id, r.name(), r.description(), r.condition());
        backfill.start(segment.workspace(), segment.id());
        return SegmentResponse.from(segment);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({"admin", "segment-editor"})
    public Response delete(@PathParam("id") String id) {
        String ws = workspace.id();
        List<String> exited = define.delete(ws, id);
        queries.forgetCatalog(ws);
        queries.refresh(ws, exited);
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

    /** Whether a profile is a member of the segment now. */
    public record MemberResponse(String segmentId, String profileId, boolean member) {
    }

    @GET
    @Path("{id}/members/{profileId}")
    @RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
    public MemberResponse isMember(@PathParam("id") String id, @PathParam("profileId") String profileId) {
        return new MemberResponse(id, profileId, queries.isMember(workspace.id(), id, profileId));
    }

    private static SegmentRequest required(SegmentRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a segment definition is required: {name, description?, condition}");
        }
        return request;
    }
}
