package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.Set;

/** A profile as identity resolution sees it: when it was created and the identifiers it holds. */
public record KnownProfile(String id, Instant createdAt, Set<Identifier> identifiers) {
}
