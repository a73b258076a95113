package io.satsuma.activation.adapter.persistence;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.satsuma.activation.domain.ConsentPolicy;
import io.satsuma.activation.domain.MessageTemplate;
import io.satsuma.activation.domain.QuietHours;
import io.satsuma.activation.domain.SyncSettings;

/** Domain types this service stores as JSON columns: kept for Jackson in a native image (REST alone does not). */
@RegisterForReflection(targets = {SyncSettings.class, ConsentPolicy.class, MessageTemplate.class, QuietHours.class})
final class JsonColumnTypes {
    private JsonColumnTypes() {
    }
}
