package io.satsuma.insights.adapter.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Content-Security-Policy on the console's pages: scripts only from this service, and connections only to
 * itself, the identity provider and the services' APIs. The console keeps its token in sessionStorage, so this
 * is what stands between an injected script and the token (ADR 015).
 */
@ApplicationScoped
public class ConsoleHeaders {
    private final String policy;

    public ConsoleHeaders(ConsoleSettings settings) {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        Stream.concat(Stream.of(settings.issuer(), settings.profileUrl(), settings.segmentUrl(), settings.activationUrl()),
                settings.insightsUrl().stream()).map(ConsoleHeaders::origin).forEach(connect::add);
        // Inline styles: ECharts and the console position elements with style attributes; no inline script is allowed.
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                + "connect-src " + String.join(" ", connect) + "; frame-ancestors 'none'; base-uri 'none'";
    }

    void install(@Observes Router router) {
        router.route("/console/*").order(-10).handler(context -> {
            context.response().putHeader("Content-Security-Policy", policy);
            context.response().putHeader("X-Content-Type-Options", "nosniff");
            context.response().putHeader("Referrer-Policy", "no-referrer");
            context.next();
        });
    }

    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
