package io.satsuma.profile.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.support.problem.ProblemException;
import java.util.List;
import java.util.Locale;

/** An identifier named in an API call ({@code ?type=&value=}): required, emails normalised as on ingestion. */
final class IdentifierQuery {
    private IdentifierQuery() {
    }

    static Identifier parse(String type, String value) {
        if (type == null || type.isBlank() || value == null || value.isBlank()) {
            throw ProblemException.badRequest("an identifier needs 'type' and 'value'", List.of(
                    new ProblemException.FieldError("type", "identifier type, e.g. user_id, email, anonymous_id"),
                    new ProblemException.FieldError("value", "identifier value")));
        }
        return new Identifier(type, "email".equals(type) ? value.trim().toLowerCase(Locale.ROOT) : value.trim());
    }
}
