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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segment rollups. */
@Path("/v1/segments")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Insights")
@SecurityRequirement(name = "bearer")
public class InsightsResource {
    private final RollUpMemberships rollUp;
    private final CurrentWorkspace workspace;

    InsightsResource(RollUpMemberships rollUp, CurrentWorkspace workspace) {
        this.rollUp = rollUp;
        this.workspace = workspace;
    }

    public record DailyResponse(String segmentId, LocalDate from, LocalDate to, List<SegmentDay> days) {
    }

    /** Per UTC day of {@code from..to} (ISO dates, inclusive): entries, exits and end-of-day size. */
    @GET
    @Path("{id}/daily")
    public DailyResponse daily(@PathParam("id") String segmentId, @QueryParam("from") String from,
                               @QueryParam("to") String to) {
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
