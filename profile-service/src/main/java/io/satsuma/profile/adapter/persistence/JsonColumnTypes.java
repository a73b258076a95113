package io.satsuma.profile.adapter.persistence;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.ProfileSettings;

/**
 * Domain types this service stores as JSON columns (workspace documents): kept for Jackson in a native image
 * without relying on the REST resources that happen to return them too.
 */
@RegisterForReflection(targets = {IdentityRules.class, ProfileSettings.class})
final class JsonColumnTypes {
    private JsonColumnTypes() {
    }
}
