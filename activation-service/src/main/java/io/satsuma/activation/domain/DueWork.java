package io.satsuma.activation.domain;

import java.time.Instant;
import java.util.List;

/** Which destinations have something due: people to reconcile on an active audience sync, or messages to send. */
public interface DueWork {
    /** @param owner this instance: syncs whose lease another instance holds are not due here */
    List<String> destinationsWithDueWork(Instant now, String owner);
}
