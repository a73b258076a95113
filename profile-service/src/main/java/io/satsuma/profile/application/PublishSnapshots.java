package io.satsuma.profile.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Announces a profile's new state on the compacted {@code satsuma.profiles.v1}, through the outbox of the
 * caller's transaction: what segment-service and activation-service need (identifiers, traits, aggregates)
 * and no more: never the workspace's private traits, never event context (IP address, user agent). A merged
 * profile's last snapshot carries no identifiers (they moved).
 */
@ApplicationScoped
public class PublishSnapshots {
    private final Profiles profiles;
    private final Outbox outbox;
    private final ConfigureProfileSettings settings;

    PublishSnapshots(Profiles profiles, Outbox outbox, ConfigureProfileSettings settings) {
        this.profiles = profiles;
        this.settings = settings;
        this.outbox = outbox;
    }

    public void publish(String workspace, ProfileState state) {
        List<Identifier> identifiers = ProfileState.MERGED.equals(state.status())
                ? List.of() : profiles.identifiersOf(workspace, state.id());
        outbox.appendAll(List.of(message(workspace, state, identifiers)));
    }

    /** The outbox message of a profile's snapshot, for a caller that appends many at once. */
    public Outbox.Message message(String workspace, ProfileState state, List<Identifier> identifiers) {
        ProfileSnapshot snapshot = new ProfileSnapshot(state.id(), state.version(), state.status(), state.mergedInto(),
                identifiers, settings.of(workspace).publishable(state.traits()), state.aggregates(), state.updatedAt());
        return new Outbox.Message(Topic.PROFILES.topicName(), state.id(), CloudEvents.TYPE_PROFILE_CHANGED, workspace,
                state.updatedAt(), snapshot);
    }
}
