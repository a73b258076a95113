package io.satsuma.segment.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.segment.domain.MembershipCache;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The membership API's reads: Redis first, PostgreSQL on a miss (refilling Redis), so answers stay
 * right while a cold or flushed cache rebuilds.
 */
@ApplicationScoped
public class QueryMemberships {
    private final MembershipCache cache;
    private final Memberships memberships;
    private final ProfileStates states;
    private final SegmentDirectory directory;

    QueryMemberships(MembershipCache cache, Memberships memberships, ProfileStates states, SegmentDirectory directory) {
        this.cache = cache;
        this.memberships = memberships;
        this.states = states;
        this.directory = directory;
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
        Map<String, Segment> catalog = directory.byId(workspace);
        List<SegmentRef> refs = current.segmentIds().stream().map(catalog::get).filter(Objects::nonNull)
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

    /** The segments of up to 100 profiles at once, narrowed to {@code segmentIds} when some are given. */
    public List<ProfileSegments> check(String workspace, List<String> profileIds, List<String> segmentIds) {
        return profileIds.stream().map(id -> {
            ProfileSegments all = segmentsOf(workspace, id);
            return segmentIds == null || segmentIds.isEmpty() ? all : new ProfileSegments(id, all.segments().stream()
                    .filter(s -> segmentIds.contains(s.id())).toList());
        }).toList();
    }
}
