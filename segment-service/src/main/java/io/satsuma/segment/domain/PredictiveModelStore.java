package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.Optional;

/** Each workspace's current predictive models (the newest version announced). */
public interface PredictiveModelStore {

    /** Stores the models unless a version at least as new is stored; returns whether they were stored. */
    boolean replaceIfNewer(String workspace, PredictiveModels models, int customers, Instant receivedAt);

    Optional<PredictiveModels> current(String workspace);
}
