package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.application.MeasureSegments;
import io.satsuma.insights.domain.Bucketing;
import io.satsuma.insights.domain.SyncAttribution;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What syncs earned. */
@Path("/v1/syncs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Insights", description = "What segments do over time")
public class SyncInsightsResource {
    private final MeasureSegments measure;
    private final CurrentWorkspace workspace;

    SyncInsightsResource(MeasureSegments measure, CurrentWorkspace workspace) {
        this.measure = measure;
        this.workspace = workspace;
    }

    @Schema(name = "SyncMetrics", description = "A sync's deliveries, conversions and attributed revenue per bucket")
    public record SyncMetricsResponse(String syncId, LocalDate from, LocalDate to, String bucket, int windowDays,
                                      List<SyncAttribution.SyncBucket> buckets) {
    }

    @GET
    @Path("{id}/metrics")
    @Operation(operationId = "syncMetrics", summary = "What a sync's deliveries earned",
            description = "Per bucket: by delivery time, the sync's delivered entries, the profiles reached and those "
                    + "that ordered within windowDays after such a delivery; by order time, the orders placed within "
                    + "windowDays after one of the sync's deliveries to the buyer (each once, net of refunds), and across "
                    + "every sync that reached the buyer in that window before the order: last-touch (the latest "
                    + "delivery's sync takes the order) and linear (each delivery takes an equal share).")
    @APIResponse(responseCode = "200", description = "every bucket of the range",
            content = @Content(schema = @Schema(implementation = SyncMetricsResponse.class)))
    @APIResponse(responseCode = "400", description = "a date, the bucket or windowDays is missing or not valid")
    public SyncMetricsResponse metrics(@Parameter(description = "sync id") @PathParam("id") String syncId,
                                       @Parameter(description = "first day, ISO", required = true) @QueryParam("from") String from,
                                       @Parameter(description = "last day, ISO", required = true) @QueryParam("to") String to,
                                       @Parameter(description = "day, week or month") @QueryParam("bucket") @DefaultValue("day") String bucket,
                                       @Parameter(description = "days after a delivery an order is attributed to it (1 to 365)")
                                       @QueryParam("windowDays") @DefaultValue("7") String windowDays) {
        LocalDate start = InsightsResource.date("from", from);
        LocalDate end = InsightsResource.date("to", to);
        Bucketing bucketing = InsightsResource.bucketing(bucket);
        int days = InsightsResource.wholeNumber("windowDays", windowDays);
        return new SyncMetricsResponse(syncId, start, end, bucketing.name().toLowerCase(Locale.ROOT), days,
                measure.syncMetrics(workspace.id(), syncId, start, end, bucketing, days));
    }
}
