package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.application.MeasureSegments;
import io.satsuma.insights.domain.Overlap;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How segments share members. */
@Path("/v1/overlap")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Insights", description = "What segments do over time")
public class OverlapResource {
    private final MeasureSegments measure;
    private final CurrentWorkspace workspace;
    private final Clock clock;

    OverlapResource(MeasureSegments measure, CurrentWorkspace workspace, Clock clock) {
        this.measure = measure;
        this.workspace = workspace;
        this.clock = clock;
    }

    @GET
    @Operation(operationId = "segmentOverlap", summary = "How segments share members, now or at an instant",
            description = "For 2 to 20 segments: each one's members at the instant and the pairwise matrix (members of "
                    + "both); for up to 6, every exact combination — the profiles that are members of exactly those "
                    + "segments and of none of the others asked (UpSet-style), largest first.")
    @APIResponse(responseCode = "200", description = "sizes, the pairwise matrix and, for up to six, the combinations",
            content = @Content(schema = @Schema(implementation = Overlap.Result.class)))
    @APIResponse(responseCode = "400", description = "fewer than 2 or more than 20 segments, one named twice, or 'at' "
            + "not an ISO instant")
    public Overlap.Result overlap(@Parameter(description = "segment ids, comma-separated", required = true,
                                          example = "7d0a…,91be…") @QueryParam("segments") String segments,
                                  @Parameter(description = "the instant (ISO 8601, UTC); now if absent",
                                          example = "2026-11-30T00:00:00Z") @QueryParam("at") String at) {
        List<String> ids = segments == null || segments.isBlank() ? List.of()
                : Arrays.stream(segments.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return measure.overlap(workspace.id(), ids, instant(at));
    }

    private Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return clock.instant();
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter 'at' must be an ISO instant",
                    List.of(new FieldError("at", "e.g. 2026-11-30T00:00:00Z; got " + value)));
        }
    }
}
