package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.application.MeasureSegments;
import io.satsuma.insights.application.RollUpMemberships;
import io.satsuma.insights.domain.Bucketing;
import io.satsuma.insights.domain.HoldoutLift;
import io.satsuma.insights.domain.SegmentDay;
import io.satsuma.insights.domain.SegmentMetrics;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.problem.ProblemException;
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
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segment rollups and metrics. */
@Path("/v1/segments")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Insights", description = "What segments do over time")
public class InsightsResource {
    private final RollUpMemberships rollUp;
    private final MeasureSegments measure;
    private final CurrentWorkspace workspace;

    InsightsResource(RollUpMemberships rollUp, MeasureSegments measure, CurrentWorkspace workspace) {
        this.rollUp = rollUp;
        this.measure = measure;
        this.workspace = workspace;
    }

    @Schema(name = "SegmentMetrics", description = "A segment's figures per bucket of UTC days")
    public record MetricsResponse(String segmentId, LocalDate from, LocalDate to, String bucket, int conversionDays,
                                  List<SegmentMetrics.BucketMetrics> buckets) {
    }

    private static final String METRICS_DESCRIPTION = "Per bucket (day, ISO week or calendar month, UTC) holding the "
            + "days of the range: size at the end, entries, exits, members at any time in it; conversion of the profiles "
            + "that entered in it (ordered within conversionDays of entering) and the median days to that first order; "
            + "orders placed while a member, gross revenue, what was refunded of those orders, net revenue, revenue per "
            + "member, average order value, orders per member; email opens and clicks while a member. Ratios are null "
            + "when their denominator is zero. JSON, or CSV with Accept: text/csv.";

    /** A segment's figures per bucket (JSON). */
    @GET
    @Path("{id}/metrics")
    @Operation(operationId = "segmentMetrics", summary = "A segment's size, conversion, revenue and engagement",
            description = METRICS_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "every bucket of the range",
            content = @Content(schema = @Schema(implementation = MetricsResponse.class)))
    @APIResponse(responseCode = "400", description = "a date, the bucket or conversionDays is missing or not valid, or "
            + "the range is reversed or too long")
    public MetricsResponse metrics(@Parameter(description = "segment id") @PathParam("id") String segmentId,
                                   @Parameter(description = "first day, ISO", required = true, example = "2026-11-01") @QueryParam("from") String from,
                                   @Parameter(description = "last day, ISO", required = true, example = "2026-11-30") @QueryParam("to") String to,
                                   @Parameter(description = "day, week or month", example = "week") @QueryParam("bucket") @DefaultValue("day") String bucket,
                                   @Parameter(description = "how many days after entering an order converts (1 to 365)", example = "7")
                                   @QueryParam("conversionDays") @DefaultValue("7") String conversionDays) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        Bucketing bucketing = bucketing(bucket);
        int days = conversionDays(conversionDays);
        return new MetricsResponse(segmentId, start, end, bucketing.name().toLowerCase(Locale.ROOT), days,
                measure.metrics(workspace.id(), segmentId, start, end, bucketing, days));
    }

    /** The same figures as CSV, one row per bucket. */
    @GET
    @Path("{id}/metrics")
    @Produces("text/csv")
    @Operation(operationId = "segmentMetricsCsv", summary = "A segment's metrics as CSV", description = METRICS_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "a header row, then one row per bucket",
            content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "one bucket",
                    value = "start,end,size,entries,exits,members,entrants,converted,conversionRate,...\n"
                            + "2026-11-30,2026-12-01,2,1,1,3,1,1,1.0,...")))
    @APIResponse(responseCode = "400", description = "as for JSON")
    public String metricsCsv(@Parameter(description = "segment id") @PathParam("id") String segmentId,
                             @Parameter(description = "first day, ISO", required = true) @QueryParam("from") String from,
                             @Parameter(description = "last day, ISO", required = true) @QueryParam("to") String to,
                             @Parameter(description = "day, week or month") @QueryParam("bucket") @DefaultValue("day") String bucket,
                             @Parameter(description = "days after entering an order converts")
                             @QueryParam("conversionDays") @DefaultValue("7") String conversionDays) {
        return MetricsCsv.write(metrics(segmentId, from, to, bucket, conversionDays).buckets());
    }

    /** Treatment against control (JSON). */
    @GET
    @Path("{id}/lift")
    @Operation(operationId = "segmentLift", summary = "What the segment's campaign added over its control group",
            description = "For the profiles that entered on the days of the range (each at its first entry in it), in "
                    + "the group of that entry (held out or not): conversion within conversionDays of entering and net "
                    + "revenue in that window per entrant, per group; treatment − control conversion with Newcombe's "
                    + "hybrid score 95 % interval and the pooled z test, the relative lift with the Katz log interval, "
                    + "the revenue difference with Welch's interval and test, and the sample-ratio check (χ² against "
                    + "holdoutPercent). No significance is claimed below 100 entrants or 5 conversions and "
                    + "non-conversions per group, or on a sample-ratio mismatch (p < 0.001); 'verdict' says why.")
    @APIResponse(responseCode = "200", description = "both groups and the lift",
            content = @Content(schema = @Schema(implementation = HoldoutLift.Lift.class)))
    @APIResponse(responseCode = "400", description = "a date, conversionDays or holdoutPercent is missing or not valid")
    public HoldoutLift.Lift lift(@Parameter(description = "segment id") @PathParam("id") String segmentId,
                                 @Parameter(description = "first day of entries, ISO", required = true) @QueryParam("from") String from,
                                 @Parameter(description = "last day of entries, ISO", required = true) @QueryParam("to") String to,
                                 @Parameter(description = "days after entering an order converts (1 to 365)")
                                 @QueryParam("conversionDays") @DefaultValue("7") String conversionDays,
                                 @Parameter(description = "the segment's holdoutPercent", required = true, example = "10")
                                 @QueryParam("holdoutPercent") String holdoutPercent) {
        return measure.lift(workspace.id(), segmentId, date("from", from), date("to", to), conversionDays(conversionDays),
                percent(holdoutPercent));
    }

    private static double percent(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ProblemException.badRequest("query parameter 'holdoutPercent' must be a number",
                    List.of(new FieldError("holdoutPercent", "the segment's holdout share in percent; got " + value)));
        }
    }

    static Bucketing bucketing(String value) {
        try {
            return Bucketing.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("query parameter 'bucket' must be day, week or month",
                    List.of(new FieldError("bucket", "one of day, week, month; got " + value)));
        }
    }

    private static int conversionDays(String value) {
        return wholeNumber("conversionDays", value);
    }

    static int wholeNumber(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be an integer",
                    List.of(new FieldError(name, "a whole number; got " + value)));
        }
    }

    @Schema(name = "SegmentDaily", description = "A segment's days: entries, exits and end-of-day size")
    public record DailyResponse(String segmentId, LocalDate from, LocalDate to, List<SegmentDay> days) {
    }

    /** Per UTC day of {@code from..to} (ISO dates, inclusive): entries, exits and end-of-day size. */
    @GET
    @Path("{id}/daily")
    @Operation(operationId = "segmentDaily", summary = "A segment day by day",
            description = "Per UTC day of the range (both included, at most 3,660 days): entries, exits and the size at "
                    + "the end of the day.")
    @APIResponse(responseCode = "200", description = "every day of the range",
            content = @Content(schema = @Schema(implementation = DailyResponse.class), examples = @ExampleObject(
                    name = "two days", value = "{\"segmentId\": \"7d0a…\", \"from\": \"2026-11-29\", \"to\": \"2026-11-30\", "
                    + "\"days\": [{\"day\": \"2026-11-29\", \"entries\": 2, \"exits\": 0, \"size\": 2}, "
                    + "{\"day\": \"2026-11-30\", \"entries\": 1, \"exits\": 1, \"size\": 2}]}")))
    @APIResponse(responseCode = "400", description = "a date is missing or not ISO, or the range is reversed or too long")
    public DailyResponse daily(@Parameter(description = "segment id") @PathParam("id") String segmentId,
                               @Parameter(description = "first day, ISO", required = true, example = "2026-11-01") @QueryParam("from") String from,
                               @Parameter(description = "last day, ISO", required = true, example = "2026-11-30") @QueryParam("to") String to) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        return new DailyResponse(segmentId, start, end, rollUp.daily(workspace.id(), segmentId, start, end));
    }

    static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be an ISO date (YYYY-MM-DD)",
                    List.of(new FieldError(name, "ISO date required, got " + value)));
        }
    }
}
