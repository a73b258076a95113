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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Right to erasure and to access (GDPR articles 17 and 15), by any identifier. */
@Path("/v1/gdpr")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "GDPR")
@SecurityRequirement(name = "bearer")
public class GdprResource {
    private final ErasePeople gdpr;
    private final CurrentWorkspace workspace;

    GdprResource(ErasePeople gdpr, CurrentWorkspace workspace) {
        this.gdpr = gdpr;
        this.workspace = workspace;
    }

    public record IdentifierRequest(String type, String value) {
    }

    /** Erases the person holding the identifier and suppresses all their identifiers. */
    @POST
    @Path("erase")
    @Consumes(MediaType.APPLICATION_JSON)
    public ErasePeople.Erased erase(IdentifierRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a body {type, value} is required");
        }
        return gdpr.erase(workspace.id(), request.type(), request.value());
    }

    /** Lifts the suppression of one identifier: events carrying it create a profile again. */
    @DELETE
    @Path("suppressions")
    public Response unsuppress(@QueryParam("type") String type, @QueryParam("value") String value) {
        if (!gdpr.unsuppress(workspace.id(), type, value)) {
            throw ProblemException.notFound("that identifier is not suppressed in this workspace");
        }
        return Response.noContent().build();
    }

    /** One JSON document of everything held on the person. */
    @GET
    @Path("export")
    public ErasePeople.Export export(@QueryParam("type") String type, @QueryParam("value") String value) {
        return gdpr.export(workspace.id(), type, value);
    }
}
