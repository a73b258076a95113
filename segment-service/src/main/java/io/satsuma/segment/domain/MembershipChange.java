package io.satsuma.segment.domain;

/** What one evaluation means for one (profile, segment) membership. */
public sealed interface MembershipChange {

    String segmentId();

    record Entered(String segmentId) implements MembershipChange {
    }

    record Exited(String segmentId) implements MembershipChange {
    }

    record Unchanged(String segmentId) implements MembershipChange {
    }

    /** Compares the new result with the current membership. */
    static MembershipChange decide(String segmentId, boolean wasMember, boolean matches) {
        if (matches && !wasMember) {
            return new Entered(segmentId);
        }
        if (!matches && wasMember) {
            return new Exited(segmentId);
        }
        return new Unchanged(segmentId);
    }
}
