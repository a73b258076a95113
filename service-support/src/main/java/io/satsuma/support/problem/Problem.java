package io.satsuma.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.satsuma.support.failure.FieldError;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The RFC 9457 problem document; {@code errors} lists each invalid field of a 400. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem details; `errors` names each invalid field by JSON pointer")
public record Problem(
        @Schema(description = "a URI reference identifying the problem type", example = "about:blank") String type,
        @Schema(description = "short summary of the problem type", example = "Invalid request") String title,
        @Schema(description = "the HTTP status", example = "400") int status,
        @Schema(description = "what went wrong with this request", example = "the segment definition is invalid; nothing was saved")
        String detail,
        @Schema(description = "the request path", example = "/v1/segments") String instance,
        @Schema(description = "one entry per invalid field") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
