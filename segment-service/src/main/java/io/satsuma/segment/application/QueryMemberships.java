package io.satsuma.segment.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.segment.domain.MembershipCache;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.cache.ExpiringCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The membership API's reads: Redis first, PostgreSQL on a miss (refilling Redis), so answers stay
 * right while a cold or flushed cache rebuilds.
 */
@ApplicationScoped
public class QueryMemberships {
    private static final Duration CATALOG_TTL = Duration.ofSeconds(5);

    private final MembershipCache cache;
    private final Memberships memberships;
    private final ProfileStates states;
    private final Segments segments;
    private final ExpiringCache<String, Map<String, Segment>> catalogs;

    QueryMemberships(MembershipCache cache, Memberships memberships, ProfileStates states, Segments segments, Clock clock) {
        this.cache = cache;
        this.memberships = memberships;
        this.states = states;
        this.segments = segments;
        this.catalogs = new ExpiringCache<>(CATALOG_TTL, clock);
    }

    /** A segment the profile is in, as client apps see it; {@code holdout}: in its control group (do not treat). */
    public record SegmentRef(String id, String name, boolean holdout) {
    }

    /** The profile (null if no profile holds the identifier) and its segments. */
    public record ProfileSegments(String profileId, List<SegmentRef> segments) {
    }

    public ProfileSegments segmentsOf(String workspace, String profileId) {
        Memberships.CurrentSegments current = cache.segmentsOf(workspace, profileId).orElseGet(() -> {
            Memberships.CurrentSegments fresh = memberships.current(workspace, profileId);
            cache.putSegments(workspace, profileId, fresh);
            return fresh;
        });
        Map<String, Segment> catalog = catalog(workspace);
        List<SegmentRef> refs = current.segmentIds().stream().map(catalog::get).filter(s -> s != null)
                .map(s -> new SegmentRef(s.id(), s.name(), current.heldOutIds().contains(s.id()))).toList();
        return new ProfileSegments(profileId, refs);
    }

    public ProfileSegments segmentsByIdentifier(String workspace, String type, String value) {
        String normalised = "email".equals(type) ? value.trim().toLowerCase(Locale.ROOT) : value.trim();
        Optional<String> profileId = cache.profileOf(workspace, type, normalised).or(() -> {
            Optional<String> found = states.profileOf(workspace, new Identifier(type, normalised));
            found.ifPresent(id -> cache.putIdentifier(workspace, type, normalised, id));
            return found;
        });
        return profileId.map(id -> segmentsOf(workspace, id)).orElseGet(() -> new ProfileSegments(null, List.of()));
    }

    public boolean isMember(String workspace, String segmentId, String profileId) {
        return segmentsOf(workspace, profileId).segments().stream().anyMatch(s -> s.id().equals(segmentId));
    }

    /** After a committed change: writes the profile's current membership to the cache. */
    public void refresh(String workspace, List<String> profileIds) {
        if (profileIds.size() == 1) {
            cache.putSegments(workspace, profileIds.get(0), memberships.current(workspace, profileIds.get(0)));
        } else if (!profileIds.isEmpty()) {
            cache.putAllSegments(workspace, memberships.currentAll(workspace, profileIds));
        }
    }

    /** After an erasure committed: the person's identifiers leave the cache, their membership is emptied. */
    public void forget(String workspace, String profileId, List<Identifier> identifiers) {
        identifiers.forEach(id -> cache.forgetIdentifier(workspace, id.type(), id.value()));
        refresh(workspace, List.of(profileId));
    }

    public void cacheIdentifiers(String workspace, String profileId, List<Identifier> identifiers) {
        identifiers.forEach(id -> cache.putIdentifier(workspace, id.type(), id.value(), profileId));
    }

    /** Forgets the cached segment names of a workspace (after a definition changed). */
    public void forgetCatalog(String workspace) {
        catalogs.remove(workspace);
    }

    private Map<String, Segment> catalog(String workspace) {
        return catalogs.get(workspace, ws -> Optional.of(segments.list(ws).stream()
                .collect(Collectors.toMap(Segment::id, Function.identity())))).orElseThrow();
    }
}
