package io.satsuma.insights.adapter.rest;

import io.satsuma.insights.application.MeasureSegments;
import io.satsuma.insights.domain.RepeatPurchases;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What customers buy once and what they buy again. */
@Path("/v1/repeat-purchases")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Insights", description = "What segments do over time")
public class RepeatPurchaseResource {
    private final MeasureSegments measure;
    private final CurrentWorkspace workspace;

    RepeatPurchaseResource(MeasureSegments measure, CurrentWorkspace workspace) {
        this.measure = measure;
        this.workspace = workspace;
    }

    @Schema(name = "RepeatPurchases", description = "Per product or category: buyers, repeat buyers, rate, interval, kind")
    public record RepeatPurchasesResponse(String by, int minBuyers, double recurringRate, List<RepeatPurchases.Item> items) {
    }

    @GET
    @Operation(operationId = "repeatPurchases", summary = "One-off or recurring, per product or category",
            description = "Over the order lines of the days from..to (product: products[].product_id, else sku; "
                    + "category: products[].category): buyers, repeat buyers (bought it on at least two UTC days), repeat "
                    + "rate, the median days between a repeat buyer's consecutive purchase days, and the kind — RECURRING "
                    + "(at least minBuyers buyers and a repeat rate of at least recurringRate), ONE_OFF, or "
                    + "TOO_FEW_BUYERS. Most buyers first, at most 'limit' items.")
    @APIResponse(responseCode = "200", description = "the items",
            content = @Content(schema = @Schema(implementation = RepeatPurchasesResponse.class)))
    @APIResponse(responseCode = "400", description = "a date, 'by', minBuyers, recurringRate or limit is not valid")
    public RepeatPurchasesResponse repeatPurchases(
            @Parameter(description = "first day, ISO", required = true) @QueryParam("from") String from,
            @Parameter(description = "last day, ISO", required = true) @QueryParam("to") String to,
            @Parameter(description = "product or category") @QueryParam("by") @DefaultValue("product") String by,
            @Parameter(description = "buyers needed to classify") @QueryParam("minBuyers") @DefaultValue("10") String minBuyers,
            @Parameter(description = "repeat rate that makes an item recurring") @QueryParam("recurringRate")
            @DefaultValue("0.25") String recurringRate,
            @Parameter(description = "at most this many items (1 to 10,000)") @QueryParam("limit") @DefaultValue("100") String limit) {
        RepeatPurchases.By grouping = grouping(by);
        int buyers = InsightsResource.wholeNumber("minBuyers", minBuyers);
        double rate = rate(recurringRate);
        int most = InsightsResource.wholeNumber("limit", limit);
        if (most < 1 || most > 10_000) {
            throw ProblemException.badRequest("query parameter 'limit' must be from 1 to 10,000",
                    List.of(new FieldError("limit", "1 to 10,000; got " + limit)));
        }
        List<RepeatPurchases.Item> items = measure.repeatPurchases(workspace.id(), InsightsResource.date("from", from),
                InsightsResource.date("to", to), grouping, buyers, rate);
        return new RepeatPurchasesResponse(grouping.name().toLowerCase(Locale.ROOT), buyers, rate,
                items.subList(0, Math.min(most, items.size())));
    }

    private static RepeatPurchases.By grouping(String value) {
        try {
            return RepeatPurchases.By.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("query parameter 'by' must be product or category",
                    List.of(new FieldError("by", "product or category; got " + value)));
        }
    }

    private static double rate(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("query parameter 'recurringRate' must be a number",
                    List.of(new FieldError("recurringRate", "a share above 0 and at most 1; got " + value)));
        }
    }
}
