package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** GDPR: deleting everything held on a person, and the suppression list that keeps them deleted. */
public interface Erasures {

    /** Deletes the profiles (a person's profile and those merged into it), their identities, events, journal and days. */
    void erase(String workspace, List<String> profileIds);

    void suppress(String workspace, List<Identifier> identifiers, Instant at);

    boolean unsuppress(String workspace, Identifier identifier);

    /** Those of the identifiers that are suppressed, in one look-up. */
    Set<Identifier> suppressedAmong(String workspace, List<Identifier> identifiers);
}
