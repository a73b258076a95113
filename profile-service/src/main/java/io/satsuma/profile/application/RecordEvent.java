package io.satsuma.profile.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.BatchPlan;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.IdentityResolver;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.KnownProfile;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.profile.domain.Resolution;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
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

    private final Profiles profiles;
    private final io.satsuma.profile.domain.Erasures erasures;
    private final Outbox outbox;
    private final ConfigureIdentityRules identityRules;
    private final PublishSnapshots snapshots;
    private final ConfigureProfileSettings settings;
    private final Clock clock;

    RecordEvent(Profiles profiles, io.satsuma.profile.domain.Erasures erasures, Outbox outbox,
                ConfigureIdentityRules identityRules, PublishSnapshots snapshots, ConfigureProfileSettings settings,
                Clock clock) {
        this.settings = settings;
        this.profiles = profiles;
        this.snapshots = snapshots;
        this.erasures = erasures;
        this.outbox = outbox;
        this.identityRules = identityRules;
        this.clock = clock;
    }

    /**
     * The owners of the identifiers, with their rows locked: what resolution then reads of them (their
     * identifiers, for the limits; their aggregates) cannot change until commit. An owner that is no longer
     * active once locked was absorbed (or erased) by a transaction that committed while we waited, and its
     * identifiers moved: read the owners again. (An identifier read as unowned cannot gain an owner: that
     * takes its lock, which we hold.)
     */
    private Map<Identifier, Profiles.Ownership> lockOwners(String workspace, List<Identifier> identifiers) {
        Set<String> active = new TreeSet<>();
        Map<Identifier, Profiles.Ownership> owners = profiles.ownershipOf(workspace, identifiers);
        for (int round = 0; !active.containsAll(profileIds(owners)); round++) {
            if (round == 10) {
                throw new IllegalStateException("the owners of " + identifiers.size() + " identifiers kept changing");
            }
            Set<String> more = new TreeSet<>(profileIds(owners));
            more.removeAll(active);
            Set<String> stillActive = profiles.lockProfiles(workspace, more);
            active.addAll(stillActive);
            if (!stillActive.containsAll(more)) {
                owners = profiles.ownershipOf(workspace, identifiers);
            }
        }
        return owners;
    }

    private static Set<String> profileIds(Map<Identifier, Profiles.Ownership> owners) {
        Set<String> ids = new TreeSet<>();
        owners.values().forEach(o -> ids.add(o.profileId()));
        return ids;
    }

    /**
     * The profile an event is first attributed to, which an unmerge reads: that of its highest-priority
     * identifier that already belonged to the profile it now joins, else the profile itself.
     */
    private static String originOf(List<Identifier> identifiers, Map<Identifier, Profiles.Ownership> owners,
                                   Resolution resolution, IdentityRules rules) {
        Set<String> joined = new java.util.HashSet<>(List.of(resolution.profileId()));
        if (resolution instanceof Resolution.Merged merged) {
            joined.addAll(merged.absorbed());
        }
        return identifiers.stream()
                .filter(id -> owners.containsKey(id) && joined.contains(owners.get(id).profileId()))
                .max(java.util.Comparator.comparingInt(id -> rules.rule(id.type()).priority()))
                .map(id -> owners.get(id).origin())
                .orElse(resolution.profileId());
    }

    /** An ingested event and the workspace it came from. */
    public record Ingested(String workspace, IngestedEvent event) {
    }

    /**
     * Records a batch of events in one transaction, with the same outcome as {@link #record} for each
     * of them in arrival order, but set-based where resolution has nothing to decide (see
     * {@link BatchPlan}): the events of known profiles and of new profiles are stored, folded and announced
     * with a few statements for the whole batch, and each profile's snapshot is published once, in its
     * final state. Events that attach identifiers, link profiles, or set traits go one at a time first
     * (identify and alias in arrival order), then the rest is planned again against the new identity graph.
     * If anything fails, nothing of the batch is kept (the caller then records the events one by one).
     */
    @Transactional
    public void recordAll(List<Ingested> events) {
        Map<String, List<IngestedEvent>> byWorkspace = new java.util.LinkedHashMap<>();
        events.forEach(e -> byWorkspace.computeIfAbsent(e.workspace(), w -> new java.util.ArrayList<>()).add(e.event()));
        byWorkspace.forEach(this::recordBatch);
    }

    private void recordBatch(String workspace, List<IngestedEvent> batch) {
        IdentityRules rules = identityRules.of(workspace);
        Map<String, IngestedEvent> unique = new java.util.LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.messageId(), e));
        List<IngestedEvent> events = new java.util.ArrayList<>(unique.values());
        List<List<Identifier>> identifiers = new java.util.ArrayList<>();
        Set<Identifier> all = new java.util.LinkedHashSet<>();
        for (IngestedEvent e : events) {
            List<Identifier> ids = identifiersOf(rules, e);
            identifiers.add(ids);
            all.addAll(ids);
        }
        if (all.isEmpty()) {
            events.forEach(e -> recordOne(workspace, e));
            return;
        }
        // One lock statement for every identifier of the batch: later checks and writes see a stable graph.
        profiles.lockIdentifiers(workspace, List.copyOf(all));
        Set<String> stored = profiles.storedMessageIds(workspace, unique.keySet());
        Set<Identifier> suppressed = erasures.suppressedAmong(workspace, List.copyOf(all));
        List<Integer> remaining = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (identifiers.get(i).isEmpty() || identifiers.get(i).stream().anyMatch(suppressed::contains)) {
                recordOne(workspace, events.get(i)); // logs and drops it
            } else if (!stored.contains(events.get(i).messageId())) {
                remaining.add(i);
            }
        }
        while (!remaining.isEmpty()) {
            Set<Identifier> pending = new java.util.LinkedHashSet<>();
            remaining.forEach(i -> pending.addAll(identifiers.get(i)));
            Map<Identifier, Profiles.Ownership> ownership = profiles.ownershipOf(workspace, List.copyOf(pending));
            Map<Identifier, String> owners = new java.util.HashMap<>();
            ownership.forEach((id, o) -> owners.put(id, o.profileId()));
            List<BatchPlan.Item> items = remaining.stream()
                    .map(i -> new BatchPlan.Item(i, events.get(i).type(), identifiers.get(i))).toList();
            BatchPlan.Split split = BatchPlan.split(items, owners);
            if (!split.oneByOne().isEmpty()) {
                split.oneByOne().forEach(i -> recordOne(workspace, events.get(i)));
                remaining.removeAll(split.oneByOne());
                continue;
            }
            Set<String> active = profiles.lockProfiles(workspace, split.known().keySet());
            recordPlanned(workspace, events, identifiers, split, active, ownership);
            split.known().forEach((profileId, positions) -> {
                if (!active.contains(profileId)) {
                    // Merged away by another instance since the owners were read: resolve these again.
                    positions.forEach(i -> recordOne(workspace, events.get(i)));
                }
            });
            return;
        }
    }

    /** The bulk part of a batch: the events of known (locked, active) profiles and of new profiles. */
    private void recordPlanned(String workspace, List<IngestedEvent> events, List<List<Identifier>> identifiers,
                               BatchPlan.Split split, Set<String> active, Map<Identifier, Profiles.Ownership> ownership) {
        IdentityRules rules = identityRules.of(workspace);
        ProfileSettings chosen = settings.of(workspace);
        Instant now = clock.instant();
        Map<String, ProfileState> states = new java.util.LinkedHashMap<>(profiles.findAll(workspace, active));
        Map<String, List<Integer>> positionsByProfile = new java.util.LinkedHashMap<>();
        Map<Integer, String> originByPosition = new java.util.HashMap<>();
        split.known().forEach((profileId, positions) -> {
            if (active.contains(profileId)) {
                positionsByProfile.put(profileId, positions);
            }
        });
        // The owners read for planning still hold: the identifiers are locked, the owners' rows too.
        positionsByProfile.values().forEach(ps -> ps.forEach(i -> originByPosition.put(i,
                identifiers.get(i).stream().max(java.util.Comparator.comparingInt(id -> rules.rule(id.type()).priority()))
                        .map(id -> ownership.get(id).origin()).orElseThrow())));
        Map<String, List<Identifier>> snapshotIdentifiers = new java.util.HashMap<>();
        split.created().forEach((ids, positions) -> {
            ProfileState fresh = ProfileState.created(UUID.randomUUID().toString(), now);
            states.put(fresh.id(), fresh);
            positionsByProfile.put(fresh.id(), positions);
            positions.forEach(i -> originByPosition.put(i, fresh.id()));
            snapshotIdentifiers.put(fresh.id(), identifiers.get(positions.get(0)));
        });

        List<Profiles.Attributed> attributed = new java.util.ArrayList<>();
        Map<String, List<ProfileSettings.Day>> days = new java.util.HashMap<>();
        List<Outbox.Message> messages = new java.util.ArrayList<>();
        Map<String, ProfileState> after = new java.util.LinkedHashMap<>();
        positionsByProfile.forEach((profileId, positions) -> {
            ProfileState state = states.get(profileId);
            java.util.TreeSet<Instant> seen = new java.util.TreeSet<>();
            for (int i : positions) {
                IngestedEvent event = events.get(i);
                CustomerEvent customerEvent = customerEvent(event);
                Aggregates.Neighbours around = neighbours(workspace, profileId, state, seen, event.timestamp());
                seen.add(event.timestamp());
                state = state.with(customerEvent, around, now);
                attributed.add(new Profiles.Attributed(profileId, originByPosition.get(i), event));
                chosen.contribution(customerEvent, now)
                        .ifPresent(day -> days.computeIfAbsent(profileId, p -> new java.util.ArrayList<>()).add(day));
                messages.add(profileEventMessage(workspace, profileId, event));
            }
            after.put(profileId, state);
        });
        // New profiles are inserted in their state after the batch; known ones updated.
        Map<ProfileState, List<Identifier>> created = new java.util.LinkedHashMap<>();
        List<ProfileState> updated = new java.util.ArrayList<>();
        after.values().forEach(state -> {
            if (snapshotIdentifiers.containsKey(state.id())) {
                created.put(state, snapshotIdentifiers.get(state.id()));
            } else {
                updated.add(state);
            }
        });
        profiles.createAll(workspace, created, now);
        profiles.recordEvents(workspace, attributed);
        profiles.addToDays(workspace, days);
        profiles.saveAll(workspace, updated);
        Set<String> known = new java.util.HashSet<>(after.keySet());
        known.removeAll(snapshotIdentifiers.keySet());
        snapshotIdentifiers.putAll(profiles.identifiersOfAll(workspace, known));
        after.values().forEach(state -> messages.add(snapshots.message(workspace, state,
                snapshotIdentifiers.getOrDefault(state.id(), List.of()))));
        outbox.appendAll(messages);
    }

    /**
     * The event's neighbours in time among the profile's stored events and those of this batch already
     * applied; the database is asked only when the event is earlier than something already seen.
     */
    private Aggregates.Neighbours neighbours(String workspace, String profileId, ProfileState state,
                                             java.util.TreeSet<Instant> batch, Instant at) {
        Instant latest = state.aggregates().lastSeenAt();
        if (Aggregates.isInOrder(state.aggregates(), at)) {
            return new Aggregates.Neighbours(latest, null);
        }
        // lastSeenAt already includes this batch's events: look at both sources separately.
        Aggregates.Neighbours stored = profiles.neighbours(workspace, profileId, at);
        return new Aggregates.Neighbours(later(stored.previous(), batch.floor(at)), earlier(stored.next(), batch.higher(at)));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isBefore(b) ? a : b);
    }

    /** The event as the aggregates see it; its time as PostgreSQL stores it (microseconds), so refolds agree. */
    private static CustomerEvent customerEvent(IngestedEvent event) {
        return new CustomerEvent(event.messageId(), event.type(), event.event(),
                event.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MICROS), event.properties(),
                event.traits(), event.context());
    }

    private static Outbox.Message profileEventMessage(String workspace, String profileId, IngestedEvent event) {
        return new Outbox.Message(Topic.PROFILE_EVENTS.topicName(), profileId, event.messageId(),
                CloudEvents.TYPE_PROFILE_EVENT, workspace, event.timestamp(), new ProfileEvent(event.messageId(),
                profileId, event.type(), event.event(), event.properties(), event.timestamp()));
    }

    private static List<Identifier> identifiersOf(IdentityRules rules, IngestedEvent event) {
        List<Identifier> identifiers = rules.identifiersOf(event.userId(), event.anonymousId(), event.traits());
        if ("alias".equals(event.type()) && !rules.isBlocked(event.previousId())) {
            identifiers = append(identifiers, new Identifier(IdentityRules.ANONYMOUS_ID, event.previousId().trim()));
        }
        return identifiers;
    }

    /** @return the profile the event now belongs to, or null if it was a duplicate or carried no usable identifier */
    @Transactional
    public String record(String workspace, IngestedEvent event) {
        return recordOne(workspace, event);
    }

    private String recordOne(String workspace, IngestedEvent event) {
        IdentityRules rules = identityRules.of(workspace);
        IdentityResolver resolver = new IdentityResolver(rules, () -> UUID.randomUUID().toString());
        List<Identifier> identifiers = identifiersOf(rules, event);
        if (identifiers.isEmpty()) {
            LOG.warnf("event %s in workspace %s carries only blocked identifiers; dropped", event.messageId(), workspace);
            return null;
        }
        Instant now = clock.instant();
        profiles.lockIdentifiers(workspace, identifiers);
        if (profiles.hasEvent(workspace, event.messageId())) {
            // Checked under the identifiers' locks, so a redelivery racing the first delivery waits and sees it.
            return null;
        }
        if (erasures.anySuppressed(workspace, identifiers)) {
            LOG.infof("event %s in workspace %s carries a suppressed (erased) identifier; dropped", event.messageId(), workspace);
            return null;
        }
        Map<Identifier, Profiles.Ownership> ownership = lockOwners(workspace, identifiers);
        Map<Identifier, String> owners = new java.util.HashMap<>();
        ownership.forEach((id, o) -> owners.put(id, o.profileId()));
        Map<String, KnownProfile> known = profiles.known(workspace, owners.values());
        Resolution resolution = resolver.resolve(identifiers, owners, known);

        if (resolution instanceof Resolution.Created) {
            profiles.create(workspace, ProfileState.created(resolution.profileId(), now));
        } else if (resolution instanceof Resolution.Merged merged) {
            merge(workspace, merged, event.messageId(), now);
        }
        resolution.refusals().forEach(refusal -> profiles.journal(workspace,
                new MergeEntry(refusal.profileId(), refusal.otherProfileId(), MergeEntry.REFUSED, null,
                        refusal.reason(), refusal.identifier().type(), event.messageId(), now)));
        String profileId = resolution.profileId();
        String origin = originOf(identifiers, ownership, resolution, rules);
        profiles.attach(workspace, profileId, resolution.newIdentifiers(), origin, now);

        ProfileState before = profiles.find(workspace, profileId).orElseThrow();
        if (resolution instanceof Resolution.Merged) {
            before = before.withAggregates(Aggregates.fold(profiles.eventsOf(workspace, profileId)));
        }
        CustomerEvent customerEvent = customerEvent(event);
        // Visits change only around the new event: its neighbours in time, looked up only if it came late.
        Aggregates.Neighbours around = Aggregates.isInOrder(before.aggregates(), event.timestamp())
                ? new Aggregates.Neighbours(before.aggregates().lastSeenAt(), null)
                : profiles.neighbours(workspace, profileId, event.timestamp());
        profiles.recordEvent(workspace, profileId, origin, event);
        settings.of(workspace).contribution(customerEvent, now).ifPresent(day -> profiles.addToDay(workspace, profileId, day));
        ProfileState after = before.with(customerEvent, around, now);
        profiles.save(workspace, after);

        outbox.appendAll(List.of(profileEventMessage(workspace, profileId, event)));
        snapshots.publish(workspace, after);
        return profileId;
    }

    private void merge(String workspace, Resolution.Merged merged, String messageId, Instant now) {
        for (String absorbedId : merged.absorbed()) {
            profiles.absorb(workspace, merged.profileId(), absorbedId, now);
            profiles.journal(workspace, new MergeEntry(merged.profileId(), absorbedId, MergeEntry.MERGED,
                    merged.rule(), null, null, messageId, now));
            outbox.append(Topic.PROFILE_EVENTS.topicName(), merged.profileId(), CloudEvents.TYPE_PROFILES_MERGED,
                    workspace, now, new ProfilesMerged(merged.profileId(), absorbedId, now));
            snapshots.publish(workspace, profiles.find(workspace, absorbedId).orElseThrow());
            LOG.infof("merged profile %s into %s in workspace %s (%s)", absorbedId, merged.profileId(), workspace,
                    merged.rule());
        }
    }

    private static List<Identifier> append(List<Identifier> identifiers, Identifier extra) {
        return java.util.stream.Stream.concat(identifiers.stream(), java.util.stream.Stream.of(extra))
                .distinct().toList();
    }
}
