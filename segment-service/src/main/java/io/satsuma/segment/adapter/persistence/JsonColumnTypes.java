package io.satsuma.segment.adapter.persistence;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.satsuma.segment.domain.JourneyJob;

/** Domain types this service stores as JSON columns: kept for Jackson in a native image (REST alone does not). */
@RegisterForReflection(targets = {JourneyJob.Stage.class})
final class JsonColumnTypes {
    private JsonColumnTypes() {
    }
}
