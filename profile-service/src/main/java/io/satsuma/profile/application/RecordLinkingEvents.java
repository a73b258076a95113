package io.satsuma.profile.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.profile.domain.Resolution;
import io.satsuma.profile.domain.ResolutionReplay;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * The events of a poll that identity resolution must decide (links between profiles, refusals, sign-ins that split
 * off a new profile, alias and group calls): their owners locked once, resolved in arrival order on an in-memory copy
 * of the graph ({@link ResolutionReplay}), their profiles' states computed in memory (a merge folds the survivor's
 * aggregates over the histories of everything it absorbed, read with one statement), and everything written with one
 * statement per table. The outcome is what {@link RecordEvent} gives for each event in turn (BatchRecordingTest).
 */
@ApplicationScoped
class RecordLinkingEvents {
    private final RecordEvent single;
    private final IdentityGraph graph;
    private final Profiles profiles;
    private final EventLog eventLog;
    private final DayBuckets dayBuckets;
    private final MergeJournal journal;
    private final Outbox outbox;
    private final ConfigureProfileSettings settings;
    private final ProfileAnnouncements announcements;
    private final Clock clock;

    RecordLinkingEvents(RecordEvent single, IdentityGraph graph, Profiles profiles, EventLog eventLog,
                        DayBuckets dayBuckets, MergeJournal journal, Outbox outbox, ConfigureProfileSettings settings,
                        ProfileAnnouncements announcements, Clock clock) {
        this.single = single;
        this.graph = graph;
        this.profiles = profiles;
        this.eventLog = eventLog;
        this.dayBuckets = dayBuckets;
        this.journal = journal;
        this.outbox = outbox;
        this.settings = settings;
        this.announcements = announcements;
        this.clock = clock;
    }

    /**
     * @param events      the poll's events (by position), their identifiers locked by the caller, none stored yet
     * @param identifiers each event's identifiers (non-empty, none suppressed)
     * @param positions   the events to record, in arrival order
     * @param pollInstant the poll's instant, which new profiles' creation times derive from
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void record(String workspace, IdentityRules rules, List<IngestedEvent> events, List<List<Identifier>> identifiers,
                List<Integer> positions, Instant pollInstant) {
        Instant now = clock.instant();
        Set<Identifier> all = new LinkedHashSet<>();
        positions.forEach(i -> all.addAll(identifiers.get(i)));
        Map<Identifier, IdentityGraph.Ownership> ownership = single.lockOwners(workspace, List.copyOf(all));
        Set<String> owners = new HashSet<>();
        ownership.values().forEach(o -> owners.add(o.profileId()));
        ResolutionReplay.Outcome outcome = ResolutionReplay.replay(
                positions.stream().map(i -> new ResolutionReplay.Item(i, identifiers.get(i))).toList(),
                ownership, graph.known(workspace, owners), rules, () -> UUID.randomUUID().toString(), pollInstant);

        States states = new States(workspace, profiles.findAll(workspace, owners), mergedExisting(outcome, owners));
        ProfileSettings chosen = settings.of(workspace);
        List<MergeEntry> entries = new ArrayList<>();
        List<EventLog.Attributed> attributed = new ArrayList<>();
        Map<String, List<ProfileSettings.Day>> days = new HashMap<>();
        List<Outbox.Message> messages = new ArrayList<>();
        for (ResolutionReplay.Step step : outcome.steps()) {
            IngestedEvent event = events.get(step.position());
            Resolution resolution = step.resolution();
            String profileId = resolution.profileId();
            if (resolution instanceof Resolution.Created) {
                states.create(profileId, outcome.created().get(profileId));
            } else if (resolution instanceof Resolution.Merged merged) {
                for (String absorbedId : merged.absorbed()) {
                    ProfileState absorbed = states.absorb(profileId, absorbedId, now);
                    entries.add(new MergeEntry(profileId, absorbedId, MergeEntry.MERGED, merged.rule(), null, null,
                            event.messageId(), now));
                    messages.add(new Outbox.Message(Topic.PROFILE_EVENTS.topicName(), ProfileEventKeys.marker(profileId),
                            CloudEvents.TYPE_PROFILES_MERGED, workspace, now, new ProfilesMerged(profileId, absorbedId, now)));
                    messages.add(announcements.snapshot(workspace, absorbed, List.of()));
                }
                states.refold(profileId);
            }
            resolution.refusals().forEach(refusal -> entries.add(new MergeEntry(refusal.profileId(),
                    refusal.otherProfileId(), MergeEntry.REFUSED, null, refusal.reason(), refusal.identifier().type(),
                    event.messageId(), now)));
            CustomerEvent customerEvent = CustomerEvent.of(event);
            states.append(profileId, customerEvent, now);
            attributed.add(new EventLog.Attributed(outcome.holderOf(profileId), step.origin(), profileId, event));
            chosen.contribution(customerEvent, now).ifPresent(day ->
                    days.computeIfAbsent(outcome.holderOf(profileId), p -> new ArrayList<>()).add(day));
            messages.add(announcements.event(workspace, profileId, event));
        }

        List<ProfileState> created = new ArrayList<>();
        List<ProfileState> changed = new ArrayList<>();
        states.changed().forEach(state -> (outcome.created().containsKey(state.id()) ? created : changed).add(state));
        profiles.createAll(workspace, created, Map.of(), now);
        profiles.absorbAll(workspace, outcome.survivorOf(), outcome.separated(), now);
        profiles.saveAll(workspace, changed);
        graph.attachAll(workspace, outcome.attached(), now);
        eventLog.recordEvents(workspace, attributed);
        dayBuckets.addToDays(workspace, days);
        journal.journalAll(workspace, entries);
        // Each profile still active gets one snapshot in its final state; a merged one had its last at the merge.
        List<ProfileState> active = states.changed().stream().filter(s -> ProfileState.ACTIVE.equals(s.status())).toList();
        Map<String, List<Identifier>> held = graph.identifiersOfAll(workspace, active.stream().map(ProfileState::id).toList());
        active.forEach(state -> messages.add(announcements.snapshot(workspace, state, held.getOrDefault(state.id(), List.of()))));
        outbox.appendAll(messages);
    }

    /** The profiles that existed before the poll and take part in one of its merges: their histories are folded. */
    private static Set<String> mergedExisting(ResolutionReplay.Outcome outcome, Set<String> owners) {
        Set<String> merged = new HashSet<>();
        outcome.steps().forEach(step -> {
            if (step.resolution() instanceof Resolution.Merged m) {
                merged.add(m.profileId());
                merged.addAll(m.absorbed());
            }
        });
        merged.retainAll(owners);
        return merged;
    }

    /**
     * The profiles' states as the events are applied in arrival order. A profile whose whole history is in memory (new
     * ones, and those in a merge) finds an event's neighbours in time there; any other asks the event log (which holds
     * nothing of this poll yet) and this poll's own events of it.
     */
    private final class States {
        private final String workspace;
        private final Map<String, ProfileState> states;
        private final Map<String, List<CustomerEvent>> histories = new HashMap<>();
        private final Map<String, TreeSet<Instant>> pollTimes = new HashMap<>();
        private final Set<String> changed = new LinkedHashSet<>();

        States(String workspace, Map<String, ProfileState> stored, Set<String> withHistory) {
            this.workspace = workspace;
            this.states = new HashMap<>(stored);
            Map<String, List<CustomerEvent>> loaded = eventLog.eventsOfAll(workspace, withHistory);
            withHistory.forEach(p -> histories.put(p, new ArrayList<>(loaded.getOrDefault(p, List.of()))));
        }

        void create(String profileId, Instant createdAt) {
            states.put(profileId, ProfileState.created(profileId, createdAt));
            histories.put(profileId, new ArrayList<>());
            changed.add(profileId);
        }

        /** The absorbed profile's traits under the survivor's (the survivor's win), its history with the survivor's. */
        ProfileState absorb(String survivorId, String absorbedId, Instant now) {
            ProfileState survivor = states.get(survivorId);
            ProfileState absorbed = states.get(absorbedId);
            Map<String, Object> traits = new LinkedHashMap<>(absorbed.traits());
            traits.putAll(survivor.traits());
            states.put(survivorId, new ProfileState(survivor.id(), survivor.version(), survivor.status(),
                    survivor.mergedInto(), traits, survivor.aggregates(), survivor.createdAt(), survivor.updatedAt()));
            ProfileState merged = new ProfileState(absorbed.id(), absorbed.version() + 1, ProfileState.MERGED, survivorId,
                    absorbed.traits(), absorbed.aggregates(), absorbed.createdAt(), now);
            states.put(absorbedId, merged);
            histories.get(survivorId).addAll(histories.remove(absorbedId));
            changed.add(survivorId);
            changed.add(absorbedId);
            return merged;
        }

        /** The survivor's aggregates from scratch over everything it now holds, as after a stored merge. */
        void refold(String profileId) {
            List<CustomerEvent> history = histories.get(profileId);
            history.sort(Comparator.comparing(CustomerEvent::timestamp).thenComparing(CustomerEvent::messageId));
            states.put(profileId, states.get(profileId).withAggregates(Aggregates.fold(history)));
        }

        void append(String profileId, CustomerEvent event, Instant now) {
            ProfileState before = states.get(profileId);
            Aggregates.Neighbours around = Aggregates.isInOrder(before.aggregates(), event.timestamp())
                    ? new Aggregates.Neighbours(before.aggregates().lastSeenAt(), null)
                    : neighbours(profileId, event.timestamp());
            states.put(profileId, before.with(event, around, now));
            if (histories.containsKey(profileId)) {
                histories.get(profileId).add(event);
            } else {
                pollTimes.computeIfAbsent(profileId, p -> new TreeSet<>()).add(event.timestamp());
            }
            changed.add(profileId);
        }

        private Aggregates.Neighbours neighbours(String profileId, Instant at) {
            TreeSet<Instant> times = pollTimes.getOrDefault(profileId, new TreeSet<>());
            if (!histories.containsKey(profileId)) {
                return eventLog.neighbours(workspace, profileId, at).with(times, at);
            }
            TreeSet<Instant> all = new TreeSet<>(times);
            histories.get(profileId).forEach(e -> all.add(e.timestamp()));
            return Aggregates.Neighbours.NONE.with(all, at);
        }

        List<ProfileState> changed() {
            return changed.stream().map(states::get).toList();
        }
    }
}
