package io.satsuma.segment.adapter.rest;

import io.satsuma.segment.application.QueryMemberships;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
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
    private final CurrentWorkspace workspace;

    MembershipResource(QueryMemberships queries, CurrentWorkspace workspace) {
        this.queries = queries;
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
                    new ProblemException.FieldError("type", "identifier type, e.g. user_id, email, anonymous_id"),
                    new ProblemException.FieldError("value", "identifier value")));
        }
        return queries.segmentsByIdentifier(workspace.id(), type, value);
    }
}
