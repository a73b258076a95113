package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.application.MeasureSegments;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How profiles move between stages. */
@Path("/v1/journeys")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Insights", description = "What segments do over time")
public class JourneyResource {
    private final MeasureSegments measure;
    private final CurrentWorkspace workspace;

    JourneyResource(MeasureSegments measure, CurrentWorkspace workspace) {
        this.measure = measure;
        this.workspace = workspace;
    }

    @GET
    @Operation(operationId = "journeys", summary = "Transitions between stages (e.g. the lifecycle group)",
            description = "For the stages (segment ids in priority order, e.g. the lifecycle group's), the transition "
                    + "matrix from the first instant of 'from' to the end of 'to', and one per bucket (from its start to "
                    + "its end): counts[i][j] profiles were in stage i at the start and in stage j at the end, the last "
                    + "row and column being 'none'. Memberships as segment-service recorded them when they happened.")
    @APIResponse(responseCode = "200", description = "the overall matrix and one per bucket",
            content = @Content(schema = @Schema(implementation = MeasureSegments.JourneyReport.class)))
    @APIResponse(responseCode = "400", description = "no stage, more than 20, one named twice, or a date or the bucket "
            + "not valid")
    public MeasureSegments.JourneyReport journeys(
            @Parameter(description = "stage segment ids in priority order, comma-separated", required = true)
            @QueryParam("segments") String segments,
            @Parameter(description = "first day, ISO", required = true) @QueryParam("from") String from,
            @Parameter(description = "last day, ISO", required = true) @QueryParam("to") String to,
            @Parameter(description = "day, week or month") @QueryParam("bucket") @DefaultValue("month") String bucket) {
        List<String> ids = segments == null || segments.isBlank() ? List.of()
                : Arrays.stream(segments.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return measure.journeys(workspace.id(), ids, InsightsResource.date("from", from), InsightsResource.date("to", to),
                InsightsResource.bucketing(bucket));
    }
}
