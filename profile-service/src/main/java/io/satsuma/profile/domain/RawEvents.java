package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.IngestedEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The durable log of accepted events ({@code satsuma.events.v1}). */
public interface RawEvents {
    /** Completes once every event is durably stored. */
    CompletionStage<Void> append(String workspace, List<IngestedEvent> events);
}
