package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.application.RollUpMemberships;
import io.satsuma.insights.domain.SegmentDay;
import io.satsuma.support.failure.FieldError;
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
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segment rollups. */
@Path("/v1/segments")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Insights", description = "What segments do over time")
public class InsightsResource {
    private final RollUpMemberships rollUp;
    private final CurrentWorkspace workspace;

    InsightsResource(RollUpMemberships rollUp, CurrentWorkspace workspace) {
        this.rollUp = rollUp;
        this.workspace = workspace;
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

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be an ISO date (YYYY-MM-DD)",
                    List.of(new FieldError(name, "ISO date required, got " + value)));
        }
    }
}
