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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Which segments is this visitor in?" — the hot path for client apps. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "membership-reader", "segment-editor", "analyst"})
@Tag(name = "Membership", description = "Which segments a profile is in, for client apps (served from the Redis cache)")
public class MembershipResource {
    private static final String SEGMENTS_EXAMPLE = """
            {"profileId": "0b7c2f1e-5d3a-4c8e-9f10-2a6b4d8e1c37",
             "segments": [{"id": "7d0a5c55-0e1f-4a53-8d1c-4f1b0c6a9e21", "name": "Ordered in the last 30 days", "holdout": false}]}""";

    private final QueryMemberships queries;
    private final InspectMemberships inspect;
    private final CurrentWorkspace workspace;

    MembershipResource(QueryMemberships queries, InspectMemberships inspect, CurrentWorkspace workspace) {
        this.queries = queries;
        this.inspect = inspect;
        this.workspace = workspace;
    }

    /** A segment the profile is in. */
    @Schema(name = "SegmentRef", description = "A segment the profile is in")
    public record SegmentRefResponse(
            @Schema(description = "segment id", example = "7d0a5c55-0e1f-4a53-8d1c-4f1b0c6a9e21") String id,
            @Schema(description = "segment name", example = "Ordered in the last 30 days") String name,
            @Schema(description = "the profile is in the segment's control group: do not treat it") boolean holdout) {
    }

    /** A profile and its segments. */
    @Schema(name = "ProfileSegments", description = "A profile and the segments it is in now")
    public record ProfileSegmentsResponse(
            @Schema(description = "the profile; null when no profile holds the identifier asked about",
                    example = "0b7c2f1e-5d3a-4c8e-9f10-2a6b4d8e1c37") String profileId,
            List<SegmentRefResponse> segments) {
        static ProfileSegmentsResponse from(QueryMemberships.ProfileSegments p) {
            return new ProfileSegmentsResponse(p.profileId(), p.segments().stream()
                    .map(s -> new SegmentRefResponse(s.id(), s.name(), s.holdout())).toList());
        }
    }

    @GET
    @Path("profiles/{profileId}/segments")
    @Operation(operationId = "segmentsOfProfile", summary = "Segments of a profile",
            description = "The segments the profile is in now, with the control-group flag of each. An unknown profile "
                    + "is in no segment (200, empty list), so callers need no special case.")
    @APIResponse(responseCode = "200", description = "the profile's segments",
            content = @Content(schema = @Schema(implementation = ProfileSegmentsResponse.class),
                    examples = @ExampleObject(name = "member", value = SEGMENTS_EXAMPLE)))
    public ProfileSegmentsResponse segmentsOf(
            @Parameter(description = "the profile's id (from profile-service)", example = "0b7c2f1e-5d3a-4c8e-9f10-2a6b4d8e1c37")
            @PathParam("profileId") String profileId) {
        return ProfileSegmentsResponse.from(queries.segmentsOf(workspace.id(), profileId));
    }

    @GET
    @Path("profiles/lookup/segments")
    @Operation(operationId = "segmentsByIdentifier", summary = "Segments of the profile holding an identifier",
            description = "The same answer by any identifier a client knows (anonymous id, user id, email): the question "
                    + "a storefront asks on every page view. An identifier no profile holds gives `profileId: null` and "
                    + "no segments.")
    @APIResponse(responseCode = "200", description = "the profile and its segments",
            content = @Content(schema = @Schema(implementation = ProfileSegmentsResponse.class),
                    examples = @ExampleObject(name = "member", value = SEGMENTS_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "`type` or `value` is missing")
    public ProfileSegmentsResponse segmentsByIdentifier(
            @Parameter(description = "identifier type: `anonymous_id`, `user_id`, `email` or another type profiles hold",
                    required = true, example = "anonymous_id") @QueryParam("type") String type,
            @Parameter(description = "identifier value (emails are matched case-insensitively)", required = true,
                    example = "5f1e0c4a-8b2d-4f6e-a1c3-9d7e2b0f4a68") @QueryParam("value") String value) {
        if (type == null || type.isBlank() || value == null || value.isBlank()) {
            throw ProblemException.badRequest("query parameters 'type' and 'value' are required", List.of(
                    new FieldError("type", "identifier type, e.g. user_id, email, anonymous_id"),
                    new FieldError("value", "identifier value")));
        }
        return ProfileSegmentsResponse.from(queries.segmentsByIdentifier(workspace.id(), type, value));
    }

    @GET
    @Path("profiles/{profileId}/history")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "membershipHistory", summary = "Membership history of a profile",
            description = "Every stay of the profile in every segment, oldest first: when it entered and exited, and why.")
    @APIResponse(responseCode = "200", description = "the stays", content = @Content(
            schema = @Schema(implementation = InspectMemberships.Stay.class, type = SchemaType.ARRAY),
            examples = @ExampleObject(name = "stays",
            value = """
                    [{"segmentId": "7d0a5c55-0e1f-4a53-8d1c-4f1b0c6a9e21", "segmentName": "Ordered in the last 30 days",
                      "enteredAt": "2026-11-02T09:14:03Z", "exitedAt": "2026-12-02T09:14:03Z",
                      "enterCause": "event Order Completed", "exitCause": "time passed"}]""")))
    public List<InspectMemberships.Stay> history(
            @Parameter(description = "the profile's id") @PathParam("profileId") String profileId) {
        return inspect.history(workspace.id(), profileId);
    }

    /** Up to 100 profiles at once; {@code segmentIds} (optional) narrows the answer. */
    @Schema(description = "Profiles to check, and optionally the only segments to report")
    public record CheckRequest(
            @Schema(description = "1 to 100 profile ids", example = "[\"0b7c2f1e-5d3a-4c8e-9f10-2a6b4d8e1c37\"]")
            List<String> profileIds,
            @Schema(description = "report only these segments (all when absent or empty)") List<String> segmentIds) {
    }

    @POST
    @Path("memberships/check")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "checkMemberships", summary = "Segments of many profiles at once",
            description = "The segments of up to 100 profiles in one call, optionally narrowed to some segments.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CheckRequest.class),
            examples = @ExampleObject(name = "two profiles", value = """
                    {"profileIds": ["0b7c2f1e-5d3a-4c8e-9f10-2a6b4d8e1c37", "c1d2e3f4-0000-4000-8000-000000000001"]}""")))
    @APIResponse(responseCode = "200", description = "one entry per profile, in the order asked",
            content = @Content(schema = @Schema(implementation = ProfileSegmentsResponse.class,
                    type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "no profile ids, or more than 100")
    public List<ProfileSegmentsResponse> check(CheckRequest request) {
        if (request == null || request.profileIds() == null || request.profileIds().isEmpty()
                || request.profileIds().size() > 100) {
            throw ProblemException.badRequest("profileIds must list 1 to 100 profile ids",
                    List.of(new FieldError("/profileIds", "1..100 profile ids")));
        }
        return queries.check(workspace.id(), request.profileIds(), request.segmentIds()).stream()
                .map(ProfileSegmentsResponse::from).toList();
    }
}
