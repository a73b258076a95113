package io.satsuma.profile.application;

import io.satsuma.profile.domain.Source;
import io.satsuma.profile.domain.Sources;
import io.satsuma.profile.domain.WriteKeys;
import com.github.benmanes.caffeine.cache.Cache;
import io.satsuma.support.cache.Caches;
import io.satsuma.support.failure.Conflict;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates sources with their write keys, rotates and revokes them, and authenticates ingestion calls.
 * Successful look-ups are cached for 30 s so that ingestion does not hit the database on every
 * request: a rotated or revoked key keeps working on other instances for at most that long (on this
 * one it stops at once).
 */
@ApplicationScoped
public class ManageSources {
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final Sources sources;
    private final Clock clock;
    private final Cache<String, Source> byHash;

    ManageSources(Sources sources, Clock clock) {
        this.sources = sources;
        this.clock = clock;
        this.byHash = Caches.expiringAfterWrite(CACHE_TTL, clock);
    }

    /** A new source and its write key; the key is shown once and never stored. */
    public record CreatedSource(Source source, String writeKey) {
    }

    @Transactional
    public CreatedSource create(String workspace, String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInput("a source needs a name of 1 to 200 characters",
                    List.of(new FieldError("/name", "required, at most 200 characters")));
        }
        String writeKey = WriteKeys.generate();
        Source source = new Source(UUID.randomUUID().toString(), workspace, name.strip(), clock.instant(), null);
        sources.add(source, WriteKeys.hash(writeKey));
        return new CreatedSource(source, writeKey);
    }

    /** A new write key for the source; the old one stops working. Shown once. */
    @Transactional
    public CreatedSource rotate(String workspace, String sourceId) {
        Source source = active(workspace, sourceId);
        String writeKey = WriteKeys.generate();
        sources.replaceWriteKey(workspace, sourceId, WriteKeys.hash(writeKey));
        forget(sourceId);
        return new CreatedSource(source, writeKey);
    }

    @Transactional
    public void revoke(String workspace, String sourceId) {
        active(workspace, sourceId);
        sources.revoke(workspace, sourceId, clock.instant());
        forget(sourceId);
    }

    private Source active(String workspace, String sourceId) {
        Source source = sources.find(workspace, sourceId)
                .orElseThrow(() -> new NotFound("no source " + sourceId + " in this workspace"));
        if (source.revokedAt() != null) {
            throw new Conflict("source " + sourceId + " was revoked at " + source.revokedAt());
        }
        return source;
    }

    private void forget(String sourceId) {
        byHash.asMap().values().removeIf(source -> source.id().equals(sourceId));
    }

    public List<Source> list(String workspace) {
        return sources.list(workspace);
    }

    /** The active source of this write key, if any. */
    public Optional<Source> authenticate(String writeKey) {
        if (writeKey == null || writeKey.isBlank()) {
            return Optional.empty();
        }
        // A key that is not found is not cached: creating a source must work at once everywhere.
        return Optional.ofNullable(byHash.get(WriteKeys.hash(writeKey),
                hash -> sources.byWriteKeyHash(hash).filter(s -> s.revokedAt() == null).orElse(null)));
    }
}
