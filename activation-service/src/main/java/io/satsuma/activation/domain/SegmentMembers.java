package io.satsuma.activation.domain;

import java.util.Collection;
import java.util.Map;

/** activation-service's projection of segment membership (from {@code satsuma.memberships.v1}). */
public interface SegmentMembers {

    /** Applies a change unless one with a higher sequence was seen; returns whether it was applied. */
    boolean apply(String workspace, String segmentId, String profileId, boolean member, boolean holdout, long sequence);

    /** Whether each profile is in the segment and not held out (absent ids are not). */
    Map<String, Boolean> reachable(String workspace, String segmentId, Collection<String> profileIds);

    /** GDPR: forgets the profile's memberships. */
    void forget(String workspace, String profileId);
}
