package io.satsuma.profile.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * What profile-service tells the other services, as outbox messages of the caller's transaction: an event once
 * attributed ({@code satsuma.profile-events.v1}), and a profile's new state on the compacted
 * {@code satsuma.profiles.v1} — what segment-service and activation-service need (identifiers, traits,
 * aggregates) and no more: never the workspace's private traits, never event context (IP address, user agent).
 * A merged profile's last snapshot carries no identifiers (they moved).
 */
@ApplicationScoped
public class ProfileAnnouncements {
    private final IdentityGraph graph;
    private final Outbox outbox;
    private final ConfigureProfileSettings settings;

    ProfileAnnouncements(IdentityGraph graph, Outbox outbox, ConfigureProfileSettings settings) {
        this.graph = graph;
        this.settings = settings;
        this.outbox = outbox;
    }

    /** Appends the profile's snapshot, reading its identifiers. */
    public void publishSnapshot(String workspace, ProfileState state) {
        List<Identifier> identifiers = ProfileState.MERGED.equals(state.status())
                ? List.of() : graph.identifiersOf(workspace, state.id());
        outbox.appendAll(List.of(snapshot(workspace, state, identifiers)));
    }

    /** The outbox message of a profile's snapshot, for a caller that appends many at once. */
    public Outbox.Message snapshot(String workspace, ProfileState state, List<Identifier> identifiers) {
        ProfileSnapshot snapshot = new ProfileSnapshot(state.id(), state.version(), state.status(), state.mergedInto(),
                identifiers, settings.of(workspace).publishable(state.traits()), state.aggregates(), state.updatedAt());
        return new Outbox.Message(Topic.PROFILES.topicName(), state.id(), CloudEvents.TYPE_PROFILE_CHANGED, workspace,
                state.updatedAt(), snapshot);
    }

    /** The outbox message of an event attributed to a profile; its id is the ingestion message id. */
    public Outbox.Message event(String workspace, String profileId, IngestedEvent event) {
        return new Outbox.Message(Topic.PROFILE_EVENTS.topicName(), ProfileEventKeys.event(profileId, event.messageId()),
                event.messageId(),
                CloudEvents.TYPE_PROFILE_EVENT, workspace, event.timestamp(), new ProfileEvent(event.messageId(),
                profileId, event.type(), event.event(), event.properties(), event.timestamp()));
    }
}
