package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.application.PredictCustomers;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A profile's predictions from the workspace's current models (ADR 016). */
@Path("/v1/profiles/{profileId}/predictions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Models")
public class PredictionResource {
    private final PredictCustomers predict;
    private final CurrentWorkspace workspace;

    PredictionResource(PredictCustomers predict, CurrentWorkspace workspace) {
        this.predict = predict;
        this.workspace = workspace;
    }

    @Schema(name = "Predictions", description = "What the workspace's current models predict for a customer")
    public record PredictionsResponse(String profileId, long modelVersion, LocalDate asOf,
                                      @Schema(description = "repeat purchase days") int repeatPurchases,
                                      @Schema(description = "weeks from the first to the last purchase") double weeksToLastPurchase,
                                      @Schema(description = "weeks from the first purchase to asOf") double weeksObserved,
                                      @Schema(description = "probability the customer is still active") double pAlive,
                                      @Schema(description = "1 − pAlive") double churnRisk,
                                      double expectedOrders30Days, double expectedOrders90Days, double expectedOrders365Days,
                                      @Schema(description = "probability of at least one order") double orderProbability30Days,
                                      double orderProbability90Days,
                                      @Schema(description = "expected value of one order (Gamma-Gamma)") double expectedOrderValue,
                                      @Schema(description = "expected orders × value over 365 days, discounted 10 % a year")
                                      double value365Days) {
        static PredictionsResponse from(PredictCustomers.Predictions p) {
            return new PredictionsResponse(p.profileId(), p.modelVersion(), p.asOf(), p.customer().x(), p.customer().tx(),
                    p.customer().T(), p.pAlive(), 1 - p.pAlive(), p.expectedOrders30Days(), p.expectedOrders90Days(),
                    p.expectedOrders365Days(), p.orderProbability30Days(), p.orderProbability90Days(),
                    p.expectedOrderValue(), p.value365Days());
        }
    }

    @GET
    @Operation(operationId = "profilePredictions", summary = "A customer's predictions",
            description = "From the workspace's current BG/NBD and Gamma-Gamma fit and the profile's own orders up to "
                    + "`asOf` (today by default): P(alive), churn risk, expected orders and the probability of an order "
                    + "over the next 30/90/365 days, the expected value of an order and over the next year. Computed on "
                    + "request, so they change as time passes without new orders.")
    @APIResponse(responseCode = "200", description = "the predictions",
            content = @Content(schema = @Schema(implementation = PredictionsResponse.class)))
    @APIResponse(responseCode = "400", description = "`asOf` is not an ISO day")
    @APIResponse(responseCode = "404", description = "no model fitted yet, or the profile has no order up to `asOf`")
    public PredictionsResponse predictions(@Parameter(description = "profile id") @PathParam("profileId") String profileId,
                                           @Parameter(description = "the day to predict as of, ISO; today if absent",
                                                   example = "1997-09-30") @QueryParam("asOf") String asOf) {
        LocalDate day;
        try {
            day = asOf == null || asOf.isBlank() ? null : LocalDate.parse(asOf);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter 'asOf' must be an ISO day",
                    List.of(new FieldError("asOf", "e.g. 2026-11-30, got " + asOf)));
        }
        return PredictionsResponse.from(predict.predict(workspace.id(), profileId, day));
    }
}
