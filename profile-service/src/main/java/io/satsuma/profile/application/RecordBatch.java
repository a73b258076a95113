package io.satsuma.profile.application;

import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.BatchPlan;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.Erasures;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Attributes a poll of ingested events in one transaction (ADR 008): what identity resolution must decide
 * goes through {@link RecordEvent} one event at a time (joining this transaction); the rest is written
 * set-based.
 */
@ApplicationScoped
public class RecordBatch {
    private final RecordEvent single;
    private final Profiles profiles;
    private final Erasures erasures;
    private final Outbox outbox;
    private final ConfigureIdentityRules identityRules;
    private final ConfigureProfileSettings settings;
    private final PublishSnapshots snapshots;
    private final Clock clock;

    RecordBatch(RecordEvent single, Profiles profiles, Erasures erasures, Outbox outbox,
                ConfigureIdentityRules identityRules, ConfigureProfileSettings settings, PublishSnapshots snapshots,
                Clock clock) {
        this.single = single;
        this.profiles = profiles;
        this.erasures = erasures;
        this.outbox = outbox;
        this.identityRules = identityRules;
        this.settings = settings;
        this.snapshots = snapshots;
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
     * final state. Events that attach identifiers, link profiles, or set traits go one at a time first
     * (identify and alias in arrival order), then the rest is planned again against the new identity graph.
     * If anything fails, nothing of the batch is kept (the caller then records the events one by one).
     */
    @Transactional
    public Recorded recordAll(List<Ingested> events) {
        Map<String, List<IngestedEvent>> byWorkspace = new java.util.LinkedHashMap<>();
        events.forEach(e -> byWorkspace.computeIfAbsent(e.workspace(), w -> new java.util.ArrayList<>()).add(e.event()));
        Recorded recorded = new Recorded(0, 0);
        for (var entry : byWorkspace.entrySet()) {
            recorded = recorded.plus(recordBatch(entry.getKey(), entry.getValue()));
        }
        return recorded;
    }

    /**
     * How a batch went: events written set-based, and events handed to the single-event path (including
     * those it then dropped: blocked or suppressed identifiers). Redeliveries already stored are in neither.
     */
    public record Recorded(int inBulk, int oneByOne) {
        Recorded plus(Recorded other) {
            return new Recorded(inBulk + other.inBulk, oneByOne + other.oneByOne);
        }
    }

    private Recorded recordBatch(String workspace, List<IngestedEvent> batch) {
        IdentityRules rules = identityRules.of(workspace);
        Map<String, IngestedEvent> unique = new java.util.LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.messageId(), e));
        List<IngestedEvent> events = new java.util.ArrayList<>(unique.values());
        List<List<Identifier>> identifiers = new java.util.ArrayList<>();
        Set<Identifier> all = new java.util.LinkedHashSet<>();
        for (IngestedEvent e : events) {
            List<Identifier> ids = RecordEvent.identifiersOf(rules, e);
            identifiers.add(ids);
            all.addAll(ids);
        }
        if (all.isEmpty()) {
            events.forEach(e -> single.record(workspace, e));
            return new Recorded(0, events.size());
        }
        int oneByOne = 0;
        // One lock statement for every identifier of the batch: later checks and writes see a stable graph.
        profiles.lockIdentifiers(workspace, List.copyOf(all));
        Set<String> stored = profiles.storedMessageIds(workspace, unique.keySet());
        Set<Identifier> suppressed = erasures.suppressedAmong(workspace, List.copyOf(all));
        List<Integer> remaining = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (identifiers.get(i).isEmpty() || identifiers.get(i).stream().anyMatch(suppressed::contains)) {
                single.record(workspace, events.get(i)); // logs and drops it
                oneByOne++;
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
                split.oneByOne().forEach(i -> single.record(workspace, events.get(i)));
                oneByOne += split.oneByOne().size();
                remaining.removeAll(split.oneByOne());
                continue;
            }
            Set<String> active = profiles.lockProfiles(workspace, split.known().keySet());
            int inBulk = recordPlanned(workspace, events, identifiers, split, active, ownership);
            for (var known : split.known().entrySet()) {
                if (!active.contains(known.getKey())) {
                    // Merged away by another instance since the owners were read: resolve these again.
                    known.getValue().forEach(i -> single.record(workspace, events.get(i)));
                    oneByOne += known.getValue().size();
                }
            }
            return new Recorded(inBulk, oneByOne);
        }
        return new Recorded(0, oneByOne);
    }

    /** The bulk part of a batch: the events of known (locked, active) profiles and of new profiles; returns how many. */
    private int recordPlanned(String workspace, List<IngestedEvent> events, List<List<Identifier>> identifiers,
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
        positionsByProfile.forEach((profileId, ps) -> ps.forEach(i -> originByPosition.put(i,
                RecordEvent.originOf(identifiers.get(i), ownership, Set.of(profileId), profileId, rules))));
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
                CustomerEvent customerEvent = RecordEvent.customerEvent(event);
                Aggregates.Neighbours around = neighbours(workspace, profileId, state, seen, customerEvent.timestamp());
                seen.add(customerEvent.timestamp());
                state = state.with(customerEvent, around, now);
                attributed.add(new Profiles.Attributed(profileId, originByPosition.get(i), event));
                chosen.contribution(customerEvent, now)
                        .ifPresent(day -> days.computeIfAbsent(profileId, p -> new java.util.ArrayList<>()).add(day));
                messages.add(RecordEvent.profileEventMessage(workspace, profileId, event));
            }
            after.put(profileId, state);
        });
        // New profiles are inserted in their state after the batch; known ones updated.
        List<ProfileState> created = new java.util.ArrayList<>();
        List<ProfileState> updated = new java.util.ArrayList<>();
        after.values().forEach(state -> (snapshotIdentifiers.containsKey(state.id()) ? created : updated).add(state));
        profiles.createAll(workspace, created, snapshotIdentifiers, now);
        profiles.recordEvents(workspace, attributed);
        profiles.addToDays(workspace, days);
        profiles.saveAll(workspace, updated);
        Set<String> known = new java.util.HashSet<>(after.keySet());
        known.removeAll(snapshotIdentifiers.keySet());
        snapshotIdentifiers.putAll(profiles.identifiersOfAll(workspace, known));
        after.values().forEach(state -> messages.add(snapshots.message(workspace, state,
                snapshotIdentifiers.getOrDefault(state.id(), List.of()))));
        outbox.appendAll(messages);
        return attributed.size();
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
}
