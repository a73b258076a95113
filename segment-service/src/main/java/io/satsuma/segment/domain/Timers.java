package io.satsuma.segment.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Per-profile timers: when time alone will next change a membership. */
public interface Timers {

    /** A profile whose memberships must be re-evaluated at {@code dueAt}. */
    record Due(String workspace, String profileId, Instant dueAt) {
    }

    /** Sets (or, when empty, clears) the profile's timer. */
    void schedule(String workspace, String profileId, Optional<Instant> dueAt);

    /** Timers due at or before {@code now}, earliest first. */
    List<Due> due(Instant now, int limit);

    /** The timers of the profiles from {@code fromProfileId} to {@code toProfileId} (inclusive). */
    Map<String, Instant> dueAtRange(String workspace, String fromProfileId, String toProfileId);

    /** Sets each profile's timer to the given instant unless it is already due earlier. */
    void scheduleNoLaterThan(String workspace, Map<String, Instant> dueAt);

    /** The timers of the given profiles (those that have one). */
    Map<String, Instant> dueAtAll(String workspace, Collection<String> profileIds);

    /** The profile's timer, if any. */
    Optional<Instant> dueAt(String workspace, String profileId);

    /** The earliest timer of any workspace, if there is one: when it is past, the sweep is behind by that much. */
    Optional<Instant> earliestDue();
}
