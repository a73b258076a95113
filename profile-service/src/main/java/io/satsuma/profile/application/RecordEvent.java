package io.satsuma.profile.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.Erasures;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.IdentityResolver;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.KnownProfile;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.profile.domain.Resolution;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Attributes one ingested event to a profile: resolves its identifiers (creating, attaching or
 * merging profiles), stores it, updates the aggregates, and announces the event and the new
 * snapshot(s) through the outbox, all in one transaction. A redelivered event changes nothing.
 */
@ApplicationScoped
public class RecordEvent {
    private static final Logger LOG = Logger.getLogger(RecordEvent.class);

    private final IdentityGraph graph;
    private final Profiles profiles;
    private final EventLog events;
    private final MergeJournal journal;
    private final Erasures erasures;
    private final Outbox outbox;
    private final ConfigureIdentityRules identityRules;
    private final ProfileAnnouncements announcements;
    private final AppendEvent append;
    private final Clock clock;

    RecordEvent(IdentityGraph graph, Profiles profiles, EventLog events, MergeJournal journal, Erasures erasures,
                Outbox outbox, ConfigureIdentityRules identityRules, ProfileAnnouncements announcements, AppendEvent append,
                Clock clock) {
        this.graph = graph;
        this.profiles = profiles;
        this.events = events;
        this.journal = journal;
        this.erasures = erasures;
        this.outbox = outbox;
        this.identityRules = identityRules;
        this.announcements = announcements;
        this.append = append;
        this.clock = clock;
    }

    /** @return the profile the event now belongs to, or null if it was a duplicate or carried no usable identifier */
    @Transactional
    public String record(String workspace, IngestedEvent event) {
        IdentityRules rules = identityRules.of(workspace);
        IdentityResolver resolver = new IdentityResolver(rules, () -> UUID.randomUUID().toString());
        List<Identifier> identifiers = rules.identifiersOf(event);
        if (identifiers.isEmpty()) {
            LOG.warnf("event %s in workspace %s carries only blocked identifiers; dropped", event.messageId(), workspace);
            return null;
        }
        Instant now = clock.instant();
        graph.lockIdentifiers(workspace, identifiers);
        if (events.hasEvent(workspace, event.messageId())) {
            // Checked under the identifiers' locks, so a redelivery racing the first delivery waits and sees it.
            return null;
        }
        if (!erasures.suppressedAmong(workspace, identifiers).isEmpty()) {
            LOG.infof("event %s in workspace %s carries a suppressed (erased) identifier; dropped", event.messageId(), workspace);
            return null;
        }
        Map<Identifier, IdentityGraph.Ownership> ownership = lockOwners(workspace, identifiers);
        Map<Identifier, String> owners = new HashMap<>();
        ownership.forEach((id, o) -> owners.put(id, o.profileId()));
        Map<String, KnownProfile> known = graph.known(workspace, owners.values());
        Resolution resolution = resolver.resolve(identifiers, owners, known);

        ProfileState created = null;
        if (resolution instanceof Resolution.Created) {
            created = ProfileState.created(resolution.profileId(), now);
            profiles.create(workspace, created);
        } else if (resolution instanceof Resolution.Merged merged) {
            merge(workspace, merged, event.messageId(), now);
        }
        resolution.refusals().forEach(refusal -> journal.journal(workspace,
                new MergeEntry(refusal.profileId(), refusal.otherProfileId(), MergeEntry.REFUSED, null,
                        refusal.reason(), refusal.identifier().type(), event.messageId(), now)));
        String profileId = resolution.profileId();
        Set<String> joined = new HashSet<>(List.of(profileId));
        if (resolution instanceof Resolution.Merged merged) {
            joined.addAll(merged.absorbed());
        }
        String origin = IdentityResolver.originOf(identifiers, ownership, joined, profileId, rules);
        graph.attach(workspace, profileId, resolution.newIdentifiers(), origin, now);

        ProfileState before = created != null ? created : profiles.find(workspace, profileId).orElseThrow();
        if (resolution instanceof Resolution.Merged) {
            before = before.withAggregates(Aggregates.fold(events.eventsOf(workspace, profileId)));
        }
        append.append(workspace, before, origin, event, now);
        return profileId;
    }

    /**
     * The owners of the identifiers, with their rows locked: what resolution then reads of them (their
     * identifiers, for the limits; their aggregates) cannot change until commit. An owner that is no longer
     * active once locked was absorbed (or erased) by a transaction that committed while we waited, and its
     * identifiers moved: read the owners again. (An identifier read as unowned cannot gain an owner: that
     * takes its lock, which we hold.) {@link RecordLinkingEvents} locks the owners of a whole poll's identifiers so.
     */
    Map<Identifier, IdentityGraph.Ownership> lockOwners(String workspace, List<Identifier> identifiers) {
        Set<String> active = new TreeSet<>();
        Map<Identifier, IdentityGraph.Ownership> owners = graph.ownershipOf(workspace, identifiers);
        for (int round = 0; !active.containsAll(profileIds(owners)); round++) {
            if (round == 10) {
                throw new IllegalStateException("the owners of " + identifiers.size() + " identifiers kept changing");
            }
            Set<String> more = new TreeSet<>(profileIds(owners));
            more.removeAll(active);
            Set<String> stillActive = profiles.lockProfiles(workspace, more);
            active.addAll(stillActive);
            if (!stillActive.containsAll(more)) {
                owners = graph.ownershipOf(workspace, identifiers);
            }
        }
        return owners;
    }

    private static Set<String> profileIds(Map<Identifier, IdentityGraph.Ownership> owners) {
        Set<String> ids = new TreeSet<>();
        owners.values().forEach(o -> ids.add(o.profileId()));
        return ids;
    }

    private void merge(String workspace, Resolution.Merged merged, String messageId, Instant now) {
        for (String absorbedId : merged.absorbed()) {
            profiles.absorb(workspace, merged.profileId(), absorbedId, now);
            journal.journal(workspace, new MergeEntry(merged.profileId(), absorbedId, MergeEntry.MERGED,
                    merged.rule(), null, null, messageId, now));
            outbox.append(Topic.PROFILE_EVENTS.topicName(), ProfileEventKeys.marker(merged.profileId()),
                    CloudEvents.TYPE_PROFILES_MERGED, workspace, now, new ProfilesMerged(merged.profileId(), absorbedId, now));
            announcements.publishSnapshot(workspace, profiles.find(workspace, absorbedId).orElseThrow());
            LOG.infof("merged profile %s into %s in workspace %s (%s)", absorbedId, merged.profileId(), workspace,
                    merged.rule());
        }
    }
}
