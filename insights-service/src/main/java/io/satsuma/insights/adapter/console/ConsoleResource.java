package io.satsuma.insights.adapter.console;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's settings for its browser code. The console itself is static files under
 * {@code META-INF/resources/console} (ADR 015); it signs people in and calls every API with their own token.
 */
@Path("/console/config.json")
@PermitAll
public class ConsoleResource {
    private final ConsoleSettings settings;

    public ConsoleResource(ConsoleSettings settings) {
        this.settings = settings;
    }

    /** The console's settings: public, as they are for any single-page application. */
    public record ConsoleConfig(String issuer, String clientId, String roleClaim, Map<String, String> services) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public ConsoleConfig config() {
        return new ConsoleConfig(settings.issuer(), settings.clientId(), settings.roleClaim(), Map.of(
                "profile", trimSlash(settings.profileUrl()), "segment", trimSlash(settings.segmentUrl()),
                "activation", trimSlash(settings.activationUrl()), "insights", trimSlash(settings.insightsUrl().orElse(""))));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
