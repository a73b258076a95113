package io.satsuma.segment.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The serving cache (Redis). Never the truth: a miss is answered from {@link Memberships} and
 * refilled. Writes carry the profile's membership version and never replace a newer entry, so a
 * slow refill cannot overwrite a fresher write.
 */
public interface MembershipCache {
    Optional<Memberships.CurrentSegments> segmentsOf(String workspace, String profileId);

    void putSegments(String workspace, String profileId, Memberships.CurrentSegments segments);

    /** {@link #putSegments} for many profiles in one round trip. */
    void putAllSegments(String workspace, Map<String, Memberships.CurrentSegments> segments);

    Optional<String> profileOf(String workspace, String idType, String idValue);

    void putIdentifier(String workspace, String idType, String idValue, String profileId);

    /** An identifier and the profile it resolves to. */
    record IdentifierOwner(String idType, String idValue, String profileId) {
    }

    /** {@link #putIdentifier} for many identifiers at once. */
    default void putIdentifiers(String workspace, List<IdentifierOwner> owners) {
        owners.forEach(o -> putIdentifier(workspace, o.idType(), o.idValue(), o.profileId()));
    }

    void forgetIdentifier(String workspace, String idType, String idValue);
}
