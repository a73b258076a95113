package io.satsuma.contracts.membership.v1;

import java.time.Instant;

/**
 * A profile entered or exited a segment, on {@code satsuma.memberships.v1}, keyed by profile id.
 *
 * @param change   {@code ENTERED} or {@code EXITED}
 * @param at       the instant the membership changed
 * @param holdout  the member is in the segment's control group: channels must not receive it
 * @param sequence grows per (profile, segment); a consumer drops anything not above what it saw
 */
public record MembershipChanged(
        String segmentId,
        String segmentName,
        String profileId,
        String change,
        Instant at,
        boolean holdout,
        long sequence) {

    public static final String ENTERED = "ENTERED";
    public static final String EXITED = "EXITED";
}
