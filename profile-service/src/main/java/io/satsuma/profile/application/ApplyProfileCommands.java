package io.satsuma.profile.application;

import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileCommand;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records what a channel reported about a profile ({@link ProfileCommand}): a revoked consent becomes a
 * {@code Consent Updated} event of the profile, a dead push token a {@code Push Token Invalidated} event (and the
 * identifier is detached), so both survive merges, unmerges and refolds like any event. A profile merged since the
 * command was sent gets it on its survivor. Idempotent: the event's id is derived from the command's.
 */
@ApplicationScoped
public class ApplyProfileCommands {
    private static final Logger LOG = Logger.getLogger(ApplyProfileCommands.class);
    private static final String SOURCE = "satsuma-channels";

    private final Profiles profiles;
    private final IdentityGraph graph;
    private final EventLog events;
    private final AppendEvent append;
    private final Clock clock;

    ApplyProfileCommands(Profiles profiles, IdentityGraph graph, EventLog events, AppendEvent append, Clock clock) {
        this.profiles = profiles;
        this.graph = graph;
        this.events = events;
        this.append = append;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String workspace, ProfileCommand command) {
        String messageId = "command-" + command.commandId();
        Optional<ProfileState> target = survivorOf(workspace, command.profileId());
        if (target.isEmpty()) {
            LOG.infof("command %s names profile %s, which is not in workspace %s (erased?); ignored", command.commandId(),
                    command.profileId(), workspace);
            return;
        }
        if (events.hasEvent(workspace, messageId)) {
            return;
        }
        ProfileState profile = target.get();
        Instant now = clock.instant();
        Map<String, Object> properties = new LinkedHashMap<>();
        String name;
        if (ProfileCommand.REVOKE_CONSENT.equals(command.kind())) {
            name = "Consent Updated";
            properties.put("channel", command.channel());
            properties.put("granted", false);
        } else if (ProfileCommand.REMOVE_IDENTIFIER.equals(command.kind()) && command.identifier() != null) {
            Identifier identifier = command.identifier();
            graph.detach(workspace, profile.id(), identifier);
            if (IdentityRules.DEVICE_TOKEN.equals(identifier.type())) {
                name = "Push Token Invalidated";
                properties.put("token", identifier.value());
            } else {
                name = "Identifier Removed";
                properties.put("type", identifier.type());
            }
        } else {
            throw new IllegalArgumentException("unknown profile command " + command.kind());
        }
        if (command.reason() != null) {
            properties.put("reason", command.reason());
        }
        IngestedEvent event = new IngestedEvent(messageId, "track", name, null, null, null, Map.of(), properties, Map.of(),
                command.at() == null ? now : command.at(), now, SOURCE);
        append.append(workspace, profile, profile.id(), event, now);
        LOG.infof("recorded %s for profile %s in workspace %s (%s)", name, profile.id(), workspace, command.reason());
    }

    /** The profile, or the active profile it was merged into; locked. */
    private Optional<ProfileState> survivorOf(String workspace, String profileId) {
        String id = profileId;
        for (int hops = 0; hops < 10 && id != null; hops++) {
            profiles.lockProfiles(workspace, List.of(id));
            Optional<ProfileState> found = profiles.find(workspace, id);
            if (found.isEmpty() || ProfileState.ACTIVE.equals(found.get().status())) {
                return found;
            }
            id = found.get().mergedInto();
        }
        return Optional.empty();
    }
}
