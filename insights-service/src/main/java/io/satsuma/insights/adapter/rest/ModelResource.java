package io.satsuma.insights.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.satsuma.insights.application.FitModels;
import io.satsuma.insights.domain.ModelFit;
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
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The workspace's predictive models (BG/NBD and Gamma-Gamma, ADR 016): their fits, current and past. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Models", description = "Predictive models fitted per workspace")
public class ModelResource {
    private final FitModels models;
    private final CurrentWorkspace workspace;

    ModelResource(FitModels models, CurrentWorkspace workspace) {
        this.models = models;
        this.workspace = workspace;
    }

    @Schema(name = "BgNbdParameters", description = "BG/NBD: purchase rate ~ Gamma(r, alpha), dropout ~ Beta(a, b), per week")
    public record BgNbdFit(double r, double alpha, double a, double b, double logLikelihood, int customers) {
    }

    @Schema(name = "GammaGammaParameters", description = "Gamma-Gamma: spend per purchase, fitted on repeat customers")
    public record GammaGammaFit(double p, double q, double gamma, double logLikelihood, int customers) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ModelFit", description = "One fit of the workspace's models: PENDING, FITTING, DONE, REFUSED (with "
            + "the reason) or FAILED")
    public record FitResponse(String id, long version, String status,
                              @Schema(description = "orders up to and including this UTC day") LocalDate calibrationEnd,
                              @Schema(description = "the models' unit of time in days (7: weeks)") int unitDays,
                              Long customers, BgNbdFit bgnbd, GammaGammaFit gammaGamma, String reason, Long fitMillis,
                              Instant requestedAt, Instant finishedAt) {
        static FitResponse from(ModelFit f) {
            return new FitResponse(f.id(), f.version(), f.status(), f.calibrationEnd(), f.unitDays(), f.customers(),
                    f.bgnbd() == null ? null : new BgNbdFit(f.bgnbd().model().r(), f.bgnbd().model().alpha(),
                            f.bgnbd().model().a(), f.bgnbd().model().b(), f.bgnbd().logLikelihood(), f.bgnbd().customers()),
                    f.gammaGamma() == null ? null : new GammaGammaFit(f.gammaGamma().model().p(), f.gammaGamma().model().q(),
                            f.gammaGamma().model().gamma(), f.gammaGamma().logLikelihood(), f.gammaGamma().customers()),
                    f.reason(), f.fitMillis(), f.requestedAt(), f.finishedAt());
        }
    }

    @Schema(name = "Models", description = "The fit in use (the latest DONE) and the history of fits, newest first")
    public record ModelsResponse(FitResponse current, List<FitResponse> fits) {
    }

    @Schema(name = "FitRequest", description = "What to fit over")
    public record FitRequest(@Schema(description = "last day of the calibration period (UTC, inclusive); today if absent",
            example = "1997-09-30") LocalDate calibrationEnd) {
    }

    @GET
    @Operation(operationId = "models", summary = "The workspace's predictive models",
            description = "The current parameters (the latest DONE fit) and the last 50 fits with their status, "
                    + "log-likelihood, sample size and fit time.")
    @APIResponse(responseCode = "200", description = "the models", content = @Content(schema = @Schema(implementation = ModelsResponse.class)))
    public ModelsResponse models() {
        String ws = workspace.id();
        return new ModelsResponse(models.current(ws).map(FitResponse::from).orElse(null),
                models.history(ws).stream().map(FitResponse::from).toList());
    }

    @POST
    @Path("fits")
    @Operation(operationId = "fitModels", summary = "Fit the models now",
            description = "Requests a fit of BG/NBD and Gamma-Gamma over every profile's orders up to the calibration "
                    + "end (purchases on the same UTC day merged, time in weeks). It runs as a job: follow it at "
                    + "`GET /v1/models/fits/{id}`. Too little data (fewer than 100 customers or 20 repeat customers) "
                    + "ends it REFUSED with the reason.")
    @RequestBody(content = @Content(schema = @Schema(implementation = FitRequest.class),
            examples = @ExampleObject(name = "papers' calibration", value = "{\"calibrationEnd\": \"1997-09-30\"}")))
    @APIResponse(responseCode = "202", description = "the fit, requested",
            content = @Content(schema = @Schema(implementation = FitResponse.class)))
    @APIResponse(responseCode = "400", description = "the calibration end is in the future")
    public Response fit(FitRequest request) {
        ModelFit fit = models.request(workspace.id(), request == null ? null : request.calibrationEnd());
        return Response.accepted(FitResponse.from(fit)).build();
    }

    @GET
    @Path("fits/{id}")
    @Operation(operationId = "modelFit", summary = "One fit", description = "Its status, and once DONE its parameters.")
    @APIResponse(responseCode = "200", description = "the fit", content = @Content(schema = @Schema(implementation = FitResponse.class)))
    @APIResponse(responseCode = "404", description = "no such fit in this workspace")
    public FitResponse fit(@Parameter(description = "fit id") @PathParam("id") String id) {
        return FitResponse.from(models.get(workspace.id(), id));
    }
}
