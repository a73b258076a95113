package io.satsuma.support.workspace;

import io.satsuma.support.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The workspace of the authenticated caller, from the bearer token's {@code workspace} claim. Every
 * read and write of a REST call is scoped by it; a token without one is refused.
 */
@RequestScoped
public class CurrentWorkspace {
    public static final String CLAIM = "workspace";
    private static final String VALID = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

    private final JsonWebToken token;

    CurrentWorkspace(JsonWebToken token) {
        this.token = token;
    }

    public String id() {
        Object claim = token.getClaim(CLAIM);
        String workspace = claim == null ? null : claim.toString().replace("\"", "");
        if (workspace == null || !workspace.matches(VALID)) {
            throw ProblemException.forbidden("the bearer token carries no valid '" + CLAIM + "' claim");
        }
        return workspace;
    }
}
