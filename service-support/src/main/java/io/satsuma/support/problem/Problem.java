package io.satsuma.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<ProblemException.FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
