package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.List;

/** GDPR: deleting everything held on a person, and the suppression list that keeps them deleted. */
public interface Erasures {

    /** Deletes the profile, the profiles merged into it, their identities, events and merge journal. */
    void erase(String workspace, String profileId);

    void suppress(String workspace, List<Identifier> identifiers, Instant at);

    boolean unsuppress(String workspace, Identifier identifier);

    boolean anySuppressed(String workspace, List<Identifier> identifiers);

    /** Those of the identifiers that are suppressed, in one look-up. */
    java.util.Set<Identifier> suppressedAmong(String workspace, List<Identifier> identifiers);
}
