package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.Set;

/**
 * A profile as identity resolution sees it: when it was created, the identifiers it holds, and the
 * profiles an operator separated it from (by an unmerge), which it must never merge with again.
 */
public record KnownProfile(String id, Instant createdAt, Set<Identifier> identifiers, Set<String> keptApartFrom) {

    public KnownProfile(String id, Instant createdAt, Set<Identifier> identifiers) {
        this(id, createdAt, identifiers, Set.of());
    }
}
