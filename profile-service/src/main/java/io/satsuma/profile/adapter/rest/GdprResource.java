package io.satsuma.profile.adapter.rest;

import io.satsuma.profile.application.ErasePeople;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Right to erasure and to access (GDPR articles 17 and 15), by any identifier. */
@Path("/v1/gdpr")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "GDPR", description = "Erasure and export of everything held on a person")
public class GdprResource {
    private final ErasePeople gdpr;
    private final CurrentWorkspace workspace;

    GdprResource(ErasePeople gdpr, CurrentWorkspace workspace) {
        this.gdpr = gdpr;
        this.workspace = workspace;
    }

    @Schema(name = "IdentifierRequest", description = "Any identifier of the person")
    public record IdentifierRequest(@Schema(description = "identifier type", example = "email") String type,
                                    @Schema(description = "identifier value", example = "ann@example.com") String value) {
    }

    /** Erases the person holding the identifier and suppresses all their identifiers. */
    @POST
    @Path("erase")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "erasePerson", summary = "Erase a person",
            description = "In one transaction: the profile holding the identifier (and every profile merged into it), its "
                    + "identities, events, merge journal and day buckets are deleted, all its identifiers are suppressed "
                    + "(events carrying them are dropped), and the erasure is published so every service forgets the "
                    + "person. An identifier no profile holds is suppressed all the same.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = IdentifierRequest.class),
            examples = @ExampleObject(name = "by email", value = "{\"type\": \"email\", \"value\": \"ann@example.com\"}")))
    @APIResponse(responseCode = "200", description = "what was erased", content = @Content(
            schema = @Schema(implementation = ErasePeople.Erased.class), examples = @ExampleObject(
            name = "erased", value = "{\"profileId\": \"0b7c…\", \"identifiersSuppressed\": 3}")))
    @APIResponse(responseCode = "400", description = "`type` or `value` missing")
    public ErasePeople.Erased erase(IdentifierRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a body {type, value} is required");
        }
        return gdpr.erase(workspace.id(), request.type(), request.value());
    }

    /** Lifts the suppression of one identifier: events carrying it create a profile again. */
    @DELETE
    @Path("suppressions")
    @Operation(operationId = "liftSuppression", summary = "Lift a suppression",
            description = "Events carrying this identifier create a profile again.")
    @APIResponse(responseCode = "204", description = "lifted")
    @APIResponse(responseCode = "400", description = "`type` or `value` missing")
    @APIResponse(responseCode = "404", description = "that identifier is not suppressed in the workspace")
    public Response unsuppress(@Parameter(description = "identifier type", example = "email") @QueryParam("type") String type,
                               @Parameter(description = "identifier value") @QueryParam("value") String value) {
        if (!gdpr.unsuppress(workspace.id(), type, value)) {
            throw ProblemException.notFound("that identifier is not suppressed in this workspace");
        }
        return Response.noContent().build();
    }

    /** One JSON document of everything held on the person. */
    @GET
    @Path("export")
    @Operation(operationId = "exportPerson", summary = "Export everything held on a person",
            description = "One JSON document: the profile with its identifiers and traits, every event (with its "
                    + "context), the merge journal and the day buckets.")
    @APIResponse(responseCode = "200", description = "the export",
            content = @Content(schema = @Schema(implementation = ErasePeople.Export.class)))
    @APIResponse(responseCode = "400", description = "`type` or `value` missing")
    @APIResponse(responseCode = "404", description = "no profile holds that identifier in the workspace")
    public ErasePeople.Export export(@Parameter(description = "identifier type", example = "email") @QueryParam("type") String type,
                                     @Parameter(description = "identifier value") @QueryParam("value") String value) {
        return gdpr.export(workspace.id(), type, value);
    }
}
