package io.satsuma.segment.adapter.rest;

import io.satsuma.segment.application.InspectMemberships;
import io.satsuma.segment.application.QueryMemberships;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Which segments is this visitor in?" — the hot path for client apps. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
@Tag(name = "Membership")
@SecurityRequirement(name = "bearer")
public class MembershipResource {
    private final QueryMemberships queries;
    private final InspectMemberships inspect;
    private final CurrentWorkspace workspace;

    MembershipResource(QueryMemberships queries, InspectMemberships inspect, CurrentWorkspace workspace) {
        this.queries = queries;
        this.inspect = inspect;
        this.workspace = workspace;
    }

    @GET
    @Path("profiles/{profileId}/segments")
    public QueryMemberships.ProfileSegments segmentsOf(@PathParam("profileId") String profileId) {
        return queries.segmentsOf(workspace.id(), profileId);
    }

    /** By any identifier: {@code ?type=email&value=ann@example.com}, {@code ?type=anonymous_id&value=...}. */
    @GET
    @Path("profiles/lookup/segments")
    public QueryMemberships.ProfileSegments segmentsByIdentifier(@QueryParam("type") String type,
                                                                 @QueryParam("value") String value) {
        if (type == null || type.isBlank() || value == null || value.isBlank()) {
            throw ProblemException.badRequest("query parameters 'type' and 'value' are required", List.of(
                    new FieldError("type", "identifier type, e.g. user_id, email, anonymous_id"),
                    new FieldError("value", "identifier value")));
        }
        return queries.segmentsByIdentifier(workspace.id(), type, value);
    }

    @GET
    @Path("profiles/{profileId}/history")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    public List<InspectMemberships.Stay> history(@PathParam("profileId") String profileId) {
        return inspect.history(workspace.id(), profileId);
    }

    /** Up to 100 profiles at once; {@code segmentIds} (optional) narrows the answer. */
    public record CheckRequest(List<String> profileIds, List<String> segmentIds) {
    }

    @POST
    @Path("memberships/check")
    @Consumes(MediaType.APPLICATION_JSON)
    public List<QueryMemberships.ProfileSegments> check(CheckRequest request) {
        if (request == null || request.profileIds() == null || request.profileIds().isEmpty()
                || request.profileIds().size() > 100) {
            throw ProblemException.badRequest("profileIds must list 1 to 100 profile ids",
                    List.of(new FieldError("/profileIds", "1..100 profile ids")));
        }
        return queries.check(workspace.id(), request.profileIds(), request.segmentIds());
    }
}
