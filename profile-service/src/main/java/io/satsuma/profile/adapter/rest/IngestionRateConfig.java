package io.satsuma.profile.adapter.rest;

import io.satsuma.profile.domain.IngestionRate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The tracking API's rate limit per write key, from {@code satsuma.ingestion.rate.*}. */
class IngestionRateConfig {

    @Produces
    @ApplicationScoped
    IngestionRate ingestionRate(@ConfigProperty(name = "satsuma.ingestion.rate.per-second", defaultValue = "10000") double perSecond,
                                @ConfigProperty(name = "satsuma.ingestion.rate.burst", defaultValue = "20000") double burst) {
        return new IngestionRate(perSecond, burst, System::nanoTime);
    }
}
