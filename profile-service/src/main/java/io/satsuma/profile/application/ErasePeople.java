package io.satsuma.profile.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.Erasures;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * GDPR erase and export. Erase deletes the profile with its identities, events, merge journal and day buckets,
 * suppresses its identifiers so new events do not re-create it, announces the erasure so other services forget
 * the person, and publishes a tombstone under every Kafka key that holds the person's events or snapshots so that
 * compaction removes them from the topics too (ADR 018) — all in one transaction.
 */
@ApplicationScoped
public class ErasePeople {
    private static final Logger LOG = Logger.getLogger(ErasePeople.class);

    private final IdentityGraph graph;
    private final Profiles profiles;
    private final EventLog events;
    private final DayBuckets days;
    private final MergeJournal journal;
    private final Erasures erasures;
    private final Outbox outbox;
    private final FindProfiles find;
    private final Clock clock;

    ErasePeople(IdentityGraph graph, Profiles profiles, EventLog events, DayBuckets days, MergeJournal journal,
                Erasures erasures, Outbox outbox, FindProfiles find, Clock clock) {
        this.graph = graph;
        this.profiles = profiles;
        this.events = events;
        this.days = days;
        this.journal = journal;
        this.erasures = erasures;
        this.outbox = outbox;
        this.find = find;
        this.clock = clock;
    }

    /** What an erasure did: the profile erased (null if none held the identifier) and identifiers suppressed. */
    public record Erased(String profileId, int identifiersSuppressed) {
    }

    @Transactional
    public Erased erase(String workspace, String type, String value) {
        Identifier identifier = identifier(type, value);
        graph.lockIdentifiers(workspace, List.of(identifier));
        String profileId = graph.ownersOf(workspace, List.of(identifier)).get(identifier);
        Instant now = clock.instant();
        if (profileId == null) {
            erasures.suppress(workspace, List.of(identifier), now);
            return new Erased(null, 1);
        }
        List<Identifier> identifiers = graph.identifiersOf(workspace, profileId);
        graph.lockIdentifiers(workspace, identifiers);
        List<String> profileIds = profiles.withAbsorbed(workspace, profileId);
        List<String> publishedEvents = events.publishedKeysOf(workspace, profileIds);
        erasures.erase(workspace, profileIds);
        erasures.suppress(workspace, identifiers, now);
        List<Outbox.Message> messages = new ArrayList<>();
        messages.add(new Outbox.Message(Topic.PROFILE_EVENTS.topicName(), ProfileEventKeys.marker(profileId),
                CloudEvents.TYPE_PROFILE_ERASED, workspace, now, new ProfileErased(profileId, now)));
        // Tombstones: compaction removes the person's events from the topic (ADR 018), and every snapshot of the
        // profile and of those it absorbed from the compacted profiles topic. Consumers skip them.
        publishedEvents.forEach(key -> messages.add(new Outbox.Message(Topic.PROFILE_EVENTS.topicName(), key,
                CloudEvents.TYPE_PROFILE_EVENT_ERASED, workspace, now, null)));
        profileIds.forEach(id -> messages.add(new Outbox.Message(Topic.PROFILES.topicName(), id,
                CloudEvents.TYPE_PROFILE_ERASED, workspace, now, null)));
        outbox.appendAll(messages);
        LOG.infof("erased profile %s in workspace %s (%d identifiers suppressed, %d events tombstoned)", profileId,
                workspace, identifiers.size(), publishedEvents.size());
        return new Erased(profileId, identifiers.size());
    }

    @Transactional
    public boolean unsuppress(String workspace, String type, String value) {
        return erasures.unsuppress(workspace, identifier(type, value));
    }

    /** Everything held on the person: the profile, its events (with traits and context), merges and day buckets. */
    public record Export(FindProfiles.ProfileView profile, List<CustomerEvent> events, List<MergeEntry> merges,
                         List<ProfileSettings.Day> days) {
    }

    public Export export(String workspace, String type, String value) {
        FindProfiles.ProfileView view = find.byIdentifier(workspace, type, value);
        String id = view.state().id();
        return new Export(view, events.eventsOf(workspace, id), journal.mergesOf(workspace, id),
                days.daysOf(workspace, id, LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31)));
    }

    private static Identifier identifier(String type, String value) {
        return IdentifierQuery.parse(type, value);
    }
}
