package io.satsuma.segment.adapter.rest;

import io.satsuma.segment.application.InspectMemberships;
import io.satsuma.segment.application.JourneySeries;
import io.satsuma.segment.domain.JourneyJob;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Journey series over every profile of the workspace, as jobs with progress (point in time, like the series). */
@Path("/v1/segments/journey/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Segments")
public class JourneyJobResource {
    private final JourneySeries series;
    private final CurrentWorkspace workspace;
    private final Clock clock;

    JourneyJobResource(JourneySeries series, CurrentWorkspace workspace, Clock clock) {
        this.series = series;
        this.workspace = workspace;
        this.clock = clock;
    }

    @Schema(name = "JourneyJob", description = "A journey series job: its progress and, once DONE, one matrix per period")
    public record JourneyJobResponse(String jobId, @Schema(description = "RUNNING, DONE or FAILED") String status,
                                     @Schema(description = "why it failed") String error,
                                     @Schema(description = "profiles counted so far") long done,
                                     @Schema(description = "profiles to count") long total, double ratePerSecond,
                                     @Schema(description = "estimated seconds to completion; null when unknown") Long etaSeconds,
                                     Instant startedAt, Instant finishedAt,
                                     @Schema(description = "one transition matrix per period; null until DONE")
                                     List<InspectMemberships.Journey> journeys) {
    }

    @POST
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "startJourneyJob", summary = "Start a journey series job",
            description = "The same series as `POST /v1/segments/journey/series` (stages evaluated point in time at every "
                    + "boundary of the range), over every profile of the workspace rather than the first 100,000, as a "
                    + "job: counted a page per transaction, resumed after a restart, with progress. A stage edited or "
                    + "deleted while it runs fails it.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SegmentResource.JourneySeriesRequest.class),
            examples = @ExampleObject(name = "months", value = "{\"segments\": [\"7d0a…\", \"91be…\"], "
                    + "\"from\": \"2025-12-01T00:00:00Z\", \"to\": \"2026-12-01T00:00:00Z\", \"period\": \"month\"}")))
    @APIResponse(responseCode = "202", description = "the job, started",
            content = @Content(schema = @Schema(implementation = JourneyJobResponse.class)))
    @APIResponse(responseCode = "400", description = "as for the synchronous series")
    @APIResponse(responseCode = "404", description = "a stage is not a segment of this workspace")
    public Response start(SegmentResource.JourneySeriesRequest request) {
        JourneyJob job = series.start(workspace.id(), request == null ? null : request.segments(),
                SegmentResource.seriesBoundaries(request));
        return Response.accepted(response(job)).build();
    }

    @GET
    @Path("{jobId}")
    @RolesAllowed({"admin", "segment-editor", "analyst"})
    @Operation(operationId = "journeyJob", summary = "A journey series job",
            description = "Its progress (done/total, rate, ETA) and, once DONE, the transition matrix of every period.")
    @APIResponse(responseCode = "200", description = "the job",
            content = @Content(schema = @Schema(implementation = JourneyJobResponse.class)))
    @APIResponse(responseCode = "404", description = "no such job in this workspace")
    public JourneyJobResponse get(@Parameter(description = "job id") @PathParam("jobId") String jobId) {
        return response(series.get(workspace.id(), jobId));
    }

    private JourneyJobResponse response(JourneyJob job) {
        Instant now = clock.instant();
        var eta = job.eta(now);
        return new JourneyJobResponse(job.id(), job.status(), job.error(), job.done(), Math.max(job.total(), job.done()),
                Math.round(job.ratePerSecond(now) * 10) / 10.0, eta == null ? null : eta.toSeconds(), job.startedAt(),
                job.finishedAt(), JourneyJob.DONE.equals(job.status()) ? series.journeys(job) : null);
    }
}
