package io.satsuma.insights.adapter.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * What the console's browser code needs to find its way: the identity provider it signs people in with, and the
 * public URLs of the four services' APIs (this service's own is the page's origin unless set).
 */
@ConfigMapping(prefix = "satsuma.console")
public interface ConsoleSettings {
    /** The OIDC issuer people sign in with (its discovery document names the endpoints). */
    String issuer();

    /** The public client registered for the console at the issuer (authorization code with PKCE). */
    @WithDefault("satsuma-console")
    String clientId();

    /** Where the token carries its roles, as the services read them ({@code groups}, or {@code realm_access/roles}). */
    String roleClaim();

    String profileUrl();

    String segmentUrl();

    String activationUrl();

    /** Absent: the page's own origin. */
    Optional<String> insightsUrl();
}
