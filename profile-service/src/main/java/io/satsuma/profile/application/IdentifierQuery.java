package io.satsuma.profile.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import java.util.List;
import java.util.Locale;

/** An identifier named in an API call ({@code ?type=&value=}): required, emails normalised as on ingestion. */
final class IdentifierQuery {
    private IdentifierQuery() {
    }

    static Identifier parse(String type, String value) {
        if (type == null || type.isBlank() || value == null || value.isBlank()) {
            throw new InvalidInput("an identifier needs 'type' and 'value'", List.of(
                    new FieldError("type", "identifier type, e.g. user_id, email, anonymous_id"),
                    new FieldError("value", "identifier value")));
        }
        return new Identifier(type, "email".equals(type) ? value.trim().toLowerCase(Locale.ROOT) : value.trim());
    }
}
