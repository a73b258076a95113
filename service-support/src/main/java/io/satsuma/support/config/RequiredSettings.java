package io.satsuma.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings without which a service must not start, mapped so that their absence stops the start while the
 * configuration is read — before the service connects to anything — with the variable named (issue 15 §3). Quarkus
 * alone does not: it deactivates a datasource whose URL is unset and reads the OIDC issuer at the first token, so a
 * service in production without them would start, then fail every request.
 */
@ConfigMapping(prefix = "satsuma.required")
public interface RequiredSettings {

    /** The issuer whose tokens the service accepts ({@code quarkus.oidc.auth-server-url}, from SATSUMA_OIDC_ISSUER). */
    @WithDefault("${quarkus.oidc.auth-server-url}")
    String oidcIssuer();

    /** The service's own database ({@code quarkus.datasource.jdbc.url}, from SATSUMA_DB_URL). */
    @WithDefault("${quarkus.datasource.jdbc.url}")
    String databaseUrl();
}
