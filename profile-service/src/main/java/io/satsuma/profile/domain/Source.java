package io.satsuma.profile.domain;

import java.time.Instant;

/** Where events come from (a site, an app, a server); its write key authenticates ingestion. */
public record Source(String id, String workspace, String name, Instant createdAt, Instant revokedAt) {
}
