package io.satsuma.profile.application;

import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.BatchPlan;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.Erasures;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.IdentityResolver;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Attributes a poll of ingested events in one transaction (ADR 008): what identity resolution must decide
 * (links between profiles, refusals, splits) is resolved in arrival order in memory and written set-based by
 * {@link RecordLinkingEvents}; the rest — identify calls and identifiers joining one profile included — needs no
 * decision and is written set-based here.
 */
@ApplicationScoped
public class RecordBatch {
    private final RecordEvent single;
    private final RecordLinkingEvents linking;
    private final IdentityGraph graph;
    private final Profiles profiles;
    private final EventLog eventLog;
    private final DayBuckets dayBuckets;
    private final Erasures erasures;
    private final Outbox outbox;
    private final ConfigureIdentityRules identityRules;
    private final ConfigureProfileSettings settings;
    private final ProfileAnnouncements announcements;
    private final Clock clock;

    RecordBatch(RecordEvent single, RecordLinkingEvents linking, IdentityGraph graph, Profiles profiles, EventLog eventLog, DayBuckets dayBuckets,
                Erasures erasures, Outbox outbox, ConfigureIdentityRules identityRules, ConfigureProfileSettings settings,
                ProfileAnnouncements announcements, Clock clock) {
        this.single = single;
        this.linking = linking;
        this.graph = graph;
        this.profiles = profiles;
        this.eventLog = eventLog;
        this.dayBuckets = dayBuckets;
        this.erasures = erasures;
        this.outbox = outbox;
        this.identityRules = identityRules;
        this.settings = settings;
        this.announcements = announcements;
        this.clock = clock;
    }

    /** An ingested event and the workspace it came from. */
    public record Ingested(String workspace, IngestedEvent event) {
    }

    /**
     * Records a batch of events in one transaction, with the same outcome as {@link RecordEvent#record} for each
     * of them in arrival order, but set-based where resolution has nothing to decide (see
     * {@link BatchPlan}): the events of known profiles and of new profiles are stored, folded and announced
     * with a few statements for the whole batch, and each profile's snapshot is published once, in its
     * final state; identifiers joining one profile are attached with one statement per profile and set.
     * Events that link profiles, would be refused or split, alias and group calls, and identify calls after them
     * on the same profile are resolved first, one after the other in arrival order ({@link RecordLinkingEvents});
     * then the rest is planned again against the new identity graph.
     * If anything fails, nothing of the batch is kept (the caller then records the events one by one).
     */
    @Transactional
    public Recorded recordAll(List<Ingested> events) {
        Map<String, List<IngestedEvent>> byWorkspace = new LinkedHashMap<>();
        events.forEach(e -> byWorkspace.computeIfAbsent(e.workspace(), w -> new ArrayList<>()).add(e.event()));
        Recorded recorded = new Recorded(0, 0, 0);
        for (var entry : byWorkspace.entrySet()) {
            recorded = recorded.plus(recordBatch(entry.getKey(), entry.getValue()));
        }
        return recorded;
    }

    /**
     * How a batch went: events written set-based, events identity resolution decided in arrival order (links,
     * refusals, splits, alias and group calls; {@link RecordLinkingEvents}), and events handed to the single-event path
     * (those it drops — blocked or suppressed identifiers — and those whose profile another instance merged away
     * meanwhile). Redeliveries already stored are in none.
     */
    public record Recorded(int inBulk, int inArrivalOrder, int oneByOne) {
        public Recorded plus(Recorded other) {
            return new Recorded(inBulk + other.inBulk, inArrivalOrder + other.inArrivalOrder, oneByOne + other.oneByOne);
        }
    }

    private Recorded recordBatch(String workspace, List<IngestedEvent> batch) {
        IdentityRules rules = identityRules.of(workspace);
        Map<String, IngestedEvent> unique = new LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.messageId(), e));
        List<IngestedEvent> events = new ArrayList<>(unique.values());
        List<List<Identifier>> identifiers = new ArrayList<>();
        Set<Identifier> all = new LinkedHashSet<>();
        for (IngestedEvent e : events) {
            List<Identifier> ids = rules.identifiersOf(e);
            identifiers.add(ids);
            all.addAll(ids);
        }
        if (all.isEmpty()) {
            events.forEach(e -> single.record(workspace, e));
            return new Recorded(0, 0, events.size());
        }
        int oneByOne = 0;
        int inOrder = 0;
        // Profiles created by the poll are created at this instant plus their first event's position in microseconds:
        // their creation order is arrival order, as recording one event at a time gives (the oldest survives a merge).
        Instant pollInstant = clock.instant();
        // One lock statement for every identifier of the batch: later checks and writes see a stable graph.
        graph.lockIdentifiers(workspace, List.copyOf(all));
        Set<String> stored = eventLog.storedMessageIds(workspace, unique.keySet());
        Set<Identifier> suppressed = erasures.suppressedAmong(workspace, List.copyOf(all));
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (identifiers.get(i).isEmpty() || identifiers.get(i).stream().anyMatch(suppressed::contains)) {
                single.record(workspace, events.get(i)); // logs and drops it
                oneByOne++;
            } else if (!stored.contains(events.get(i).messageId())) {
                remaining.add(i);
            }
        }
        while (!remaining.isEmpty()) {
            Set<Identifier> pending = new LinkedHashSet<>();
            remaining.forEach(i -> pending.addAll(identifiers.get(i)));
            Map<Identifier, IdentityGraph.Ownership> ownership = graph.ownershipOf(workspace, List.copyOf(pending));
            Map<Identifier, String> owners = new HashMap<>();
            ownership.forEach((id, o) -> owners.put(id, o.profileId()));
            List<BatchPlan.Item> items = remaining.stream()
                    .map(i -> new BatchPlan.Item(i, events.get(i).type(), identifiers.get(i))).toList();
            // Profiles that may gain identifiers in bulk are locked before what they hold is read (limits, logins).
            Set<String> candidates = profiles.lockProfiles(workspace, BatchPlan.attachCandidates(items, owners));
            Map<String, Set<Identifier>> held = new HashMap<>();
            graph.identifiersOfAll(workspace, candidates).forEach((profileId, ids) -> held.put(profileId, Set.copyOf(ids)));
            candidates.forEach(profileId -> held.putIfAbsent(profileId, Set.of()));
            BatchPlan.Split split = BatchPlan.split(items, owners, held, rules);
            if (!split.oneByOne().isEmpty()) {
                linking.record(workspace, rules, events, identifiers, split.oneByOne(), pollInstant);
                inOrder += split.oneByOne().size();
                remaining.removeAll(split.oneByOne());
                continue;
            }
            Set<String> active = profiles.lockProfiles(workspace, split.known().keySet());
            int inBulk = recordPlanned(workspace, events, identifiers, split, active, ownership, pollInstant);
            for (var known : split.known().entrySet()) {
                if (!active.contains(known.getKey())) {
                    // Merged away by another instance since the owners were read: resolve these again.
                    known.getValue().forEach(i -> single.record(workspace, events.get(i)));
                    oneByOne += known.getValue().size();
                }
            }
            return new Recorded(inBulk, inOrder, oneByOne);
        }
        return new Recorded(0, inOrder, oneByOne);
    }

    /** The bulk part of a batch: the events of known (locked, active) profiles and of new profiles; returns how many. */
    private int recordPlanned(String workspace, List<IngestedEvent> events, List<List<Identifier>> identifiers,
                               BatchPlan.Split split, Set<String> active, Map<Identifier, IdentityGraph.Ownership> ownership,
                               Instant pollInstant) {
        IdentityRules rules = identityRules.of(workspace);
        ProfileSettings chosen = settings.of(workspace);
        Instant now = clock.instant();
        Map<String, ProfileState> states = new LinkedHashMap<>(profiles.findAll(workspace, active));
        Map<String, List<Integer>> positionsByProfile = new LinkedHashMap<>();
        Map<Integer, String> originByPosition = new HashMap<>();
        split.known().forEach((profileId, positions) -> {
            if (active.contains(profileId)) {
                positionsByProfile.put(profileId, positions);
            }
        });
        // The owners read for planning still hold: the identifiers are locked, the owners' rows too.
        positionsByProfile.forEach((profileId, ps) -> ps.forEach(i -> originByPosition.put(i,
                IdentityResolver.originOf(identifiers.get(i), ownership, Set.of(profileId), profileId, rules))));
        // Identifiers that join known profiles (BatchPlan checked limits and logins), with the origin resolution gives.
        positionsByProfile.forEach((profileId, ps) -> ps.stream().filter(split.attach()::containsKey).forEach(i ->
                graph.attach(workspace, profileId, split.attach().get(i), originByPosition.get(i), now)));
        Map<String, List<Identifier>> snapshotIdentifiers = new HashMap<>();
        split.created().forEach((ids, positions) -> {
            ProfileState fresh = ProfileState.created(UUID.randomUUID().toString(),
                    BatchPlan.createdAt(pollInstant, positions.get(0)));
            states.put(fresh.id(), fresh);
            positionsByProfile.put(fresh.id(), positions);
            positions.forEach(i -> originByPosition.put(i, fresh.id()));
            snapshotIdentifiers.put(fresh.id(), List.copyOf(ids));
        });

        List<EventLog.Attributed> attributed = new ArrayList<>();
        Map<String, List<ProfileSettings.Day>> days = new HashMap<>();
        List<Outbox.Message> messages = new ArrayList<>();
        Map<String, ProfileState> after = new LinkedHashMap<>();
        positionsByProfile.forEach((profileId, positions) -> {
            ProfileState state = states.get(profileId);
            TreeSet<Instant> seen = new TreeSet<>();
            for (int i : positions) {
                IngestedEvent event = events.get(i);
                CustomerEvent customerEvent = CustomerEvent.of(event);
                Aggregates.Neighbours around = neighbours(workspace, profileId, state, seen, customerEvent.timestamp());
                seen.add(customerEvent.timestamp());
                state = state.with(customerEvent, around, now);
                attributed.add(new EventLog.Attributed(profileId, originByPosition.get(i), profileId, event));
                chosen.contribution(customerEvent, now)
                        .ifPresent(day -> days.computeIfAbsent(profileId, p -> new ArrayList<>()).add(day));
                messages.add(announcements.event(workspace, profileId, event));
            }
            after.put(profileId, state);
        });
        // New profiles are inserted in their state after the batch; known ones updated.
        List<ProfileState> created = new ArrayList<>();
        List<ProfileState> updated = new ArrayList<>();
        after.values().forEach(state -> (snapshotIdentifiers.containsKey(state.id()) ? created : updated).add(state));
        profiles.createAll(workspace, created, snapshotIdentifiers, now);
        eventLog.recordEvents(workspace, attributed);
        dayBuckets.addToDays(workspace, days);
        profiles.saveAll(workspace, updated);
        Set<String> known = new HashSet<>(after.keySet());
        known.removeAll(snapshotIdentifiers.keySet());
        snapshotIdentifiers.putAll(graph.identifiersOfAll(workspace, known));
        after.values().forEach(state -> messages.add(announcements.snapshot(workspace, state,
                snapshotIdentifiers.getOrDefault(state.id(), List.of()))));
        outbox.appendAll(messages);
        return attributed.size();
    }

    /**
     * The event's neighbours in time among the profile's stored events and those of this batch already
     * applied; the database is asked only when the event is earlier than something already seen.
     */
    private Aggregates.Neighbours neighbours(String workspace, String profileId, ProfileState state,
                                             TreeSet<Instant> batch, Instant at) {
        Instant latest = state.aggregates().lastSeenAt();
        if (Aggregates.isInOrder(state.aggregates(), at)) {
            return new Aggregates.Neighbours(latest, null);
        }
        // lastSeenAt already includes this batch's events: look at both sources separately.
        Aggregates.Neighbours stored = eventLog.neighbours(workspace, profileId, at);
        return stored.with(batch, at);
    }
}
