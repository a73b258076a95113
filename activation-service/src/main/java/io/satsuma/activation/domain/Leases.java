package io.satsuma.activation.domain;

import java.time.Instant;

/** Leases on claimed work (people to reconcile, messages to send), held by a running instance. */
public interface Leases {
    /** Extends every lease {@code owner} still holds to {@code until}. */
    void renew(String owner, Instant until);
}
