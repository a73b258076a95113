package io.satsuma.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.satsuma.support.failure.Conflict;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns exceptions into {@code application/problem+json}: the use cases' failures
 * ({@link InvalidInput} 400, {@link NotFound} 404, {@link Conflict} 409), the adapters' own
 * {@link ProblemException}s, unreadable JSON, and anything unexpected (500). 4xx are logged at WARN without a
 * stack trace, 5xx at ERROR; a response never carries a class name or a stack trace.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = respond(e.status(), e.title(), e.getMessage(), uri, e.errors());
        if (e.retryAfterSeconds() != null) {
            response.getHeaders().putSingle("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return response;
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInput e, UriInfo uri) {
        return respond(400, "Invalid request", e.getMessage(), uri, e.errors());
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e, UriInfo uri) {
        return respond(404, "Not found", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response conflict(Conflict e, UriInfo uri) {
        return respond(409, "Conflict", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String pointer = e instanceof MismatchedInputException mismatch ? pointer(mismatch) : "";
        String detail = "request body is not valid JSON for this endpoint"
                + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")" : "");
        return respond(400, "Invalid request", detail, uri, List.of(new FieldError(pointer, e.getOriginalMessage())));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(status, title, e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return respond(500, "Internal error", "the server failed to handle the request; it has been logged", uri, List.of());
    }

    private static Response respond(int status, String title, String detail, UriInfo uri, List<FieldError> errors) {
        if (status >= 400 && status < 500) {
            LOG.warnf("%d %s on %s: %s", status, title, uri.getPath(), detail);
        }
        Problem problem = new Problem("about:blank", title, status, detail, uri.getPath(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String pointer(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex()))
                .map(part -> "/" + part.replace("~", "~0").replace("/", "~1"))
                .collect(Collectors.joining());
    }
}
