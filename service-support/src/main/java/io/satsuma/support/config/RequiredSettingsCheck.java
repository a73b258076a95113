package io.satsuma.support.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Has {@link RequiredSettings} checked when the configuration is read (a mapping nothing injects is not), and says
 * at startup whose tokens the service accepts.
 */
@ApplicationScoped
class RequiredSettingsCheck {
    private static final Logger LOG = Logger.getLogger(RequiredSettingsCheck.class);

    private final RequiredSettings settings;

    RequiredSettingsCheck(RequiredSettings settings) {
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent started) {
        LOG.infof("accepting bearer tokens issued by %s", settings.oidcIssuer());
    }
}
