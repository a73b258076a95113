package io.satsuma.profile.application;

import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * The last step of attributing an event, once it is known whose it is: the event is stored, folded into the
 * aggregates and its day bucket, and announced with the profile's new snapshot, in the caller's transaction.
 */
@ApplicationScoped
class AppendEvent {
    private final IdentityGraph graph;
    private final Profiles profiles;
    private final EventLog events;
    private final DayBuckets days;
    private final Outbox outbox;
    private final ConfigureProfileSettings settings;
    private final ProfileAnnouncements announcements;

    AppendEvent(IdentityGraph graph, Profiles profiles, EventLog events, DayBuckets days, Outbox outbox,
                ConfigureProfileSettings settings, ProfileAnnouncements announcements) {
        this.graph = graph;
        this.profiles = profiles;
        this.events = events;
        this.days = days;
        this.outbox = outbox;
        this.settings = settings;
        this.announcements = announcements;
    }

    /** @param before the profile as it is (locked by the caller); @return as it is after the event */
    @Transactional(Transactional.TxType.MANDATORY)
    ProfileState append(String workspace, ProfileState before, String origin, IngestedEvent event, Instant now) {
        String profileId = before.id();
        CustomerEvent customerEvent = CustomerEvent.of(event);
        // Visits change only around the new event: its neighbours in time, looked up only if it came late.
        Aggregates.Neighbours around = Aggregates.isInOrder(before.aggregates(), customerEvent.timestamp())
                ? new Aggregates.Neighbours(before.aggregates().lastSeenAt(), null)
                : events.neighbours(workspace, profileId, customerEvent.timestamp());
        events.recordEvent(workspace, profileId, origin, event);
        settings.of(workspace).contribution(customerEvent, now).ifPresent(day -> days.addToDay(workspace, profileId, day));
        ProfileState after = before.with(customerEvent, around, now);
        profiles.save(workspace, after);
        // The event and the new snapshot in one statement.
        outbox.appendAll(List.of(announcements.event(workspace, profileId, event),
                announcements.snapshot(workspace, after, graph.identifiersOf(workspace, profileId))));
        return after;
    }
}
