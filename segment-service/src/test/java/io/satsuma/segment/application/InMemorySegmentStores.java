package io.satsuma.segment.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.BackfillJobs;
import io.satsuma.segment.domain.Catalog;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.ExclusionGroups;
import io.satsuma.segment.domain.MembershipCache;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.segment.domain.ObservedEvent;
import io.satsuma.segment.domain.ProfileChanges;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileScans;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentGraph;
import io.satsuma.segment.domain.Segments;
import io.satsuma.segment.domain.Timers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

/** segment-service's ports in memory, for use-case tests without Quarkus, PostgreSQL or Redis (one thread: no locks). */
final class InMemorySegmentStores {
    private InMemorySegmentStores() {
    }

    /** Live and deleted definitions, with every version; listed linked and group-restricted as the JDBC store does. */
    static final class InMemorySegments implements Segments {
        private final Map<String, Segment> byId = new LinkedHashMap<>();
        private final Set<String> deleted = new HashSet<>();
        private final Map<String, List<Version>> versions = new HashMap<>();

        @Override
        public void lockForChange(String workspace) {
        }

        @Override
        public void add(Segment segment) {
            byId.put(segment.id(), segment);
            addVersion(segment);
        }

        @Override
        public void update(Segment segment) {
            byId.put(segment.id(), segment);
            addVersion(segment);
        }

        private void addVersion(Segment s) {
            versions.computeIfAbsent(s.id(), id -> new ArrayList<>()).add(new Version(s.version(), s.name(),
                    s.conditionJson(), s.holdoutPercent(), s.exclusionGroup(), s.groupPriority(), s.updatedAt()));
        }

        @Override
        public void markDeleted(String workspace, String segmentId, Instant at) {
            deleted.add(segmentId);
        }

        @Override
        public Optional<Segment> find(String workspace, String segmentId) {
            return list(workspace).stream().filter(s -> s.id().equals(segmentId)).findFirst();
        }

        @Override
        public List<Segment> list(String workspace) {
            return List.copyOf(SegmentGraph.link(ExclusionGroups.apply(byId.values().stream()
                    .filter(s -> s.workspace().equals(workspace) && !deleted.contains(s.id())).toList())));
        }

        @Override
        public boolean nameTaken(String workspace, String name, String exceptSegmentId) {
            return list(workspace).stream().anyMatch(s -> s.name().equalsIgnoreCase(name) && !s.id().equals(exceptSegmentId));
        }

        @Override
        public List<Version> versions(String workspace, String segmentId) {
            Segment segment = byId.get(segmentId);
            return segment == null || !segment.workspace().equals(workspace) ? List.of()
                    : List.copyOf(versions.getOrDefault(segmentId, List.of()));
        }
    }

    /** Profiles' traits, attributes and events as snapshots and events left them. */
    static final class InMemoryProfileStates implements ProfileStates, ProfileScans {
        private record Key(String workspace, String profileId) {
        }

        private static final class State {
            String status = "ACTIVE";
            long version;
            long membershipVersion;
            Map<String, Object> traits = new HashMap<>();
            Map<String, Object> attributes = new HashMap<>();
            final Map<String, ObservedEvent> events = new LinkedHashMap<>();
            List<Identifier> identifiers = List.of();
        }

        private final Map<Key, State> states = new TreeMap<>(Comparator.comparing(Key::workspace).thenComparing(Key::profileId));

        private State state(String workspace, String profileId) {
            return states.computeIfAbsent(new Key(workspace, profileId), k -> new State());
        }

        @Override
        public boolean lock(String workspace, String profileId) {
            boolean created = !states.containsKey(new Key(workspace, profileId));
            state(workspace, profileId);
            return created;
        }

        @Override
        public Map<String, ProfileChanges> applySnapshots(String workspace, List<Snapshot> snapshots) {
            Map<String, ProfileChanges> applied = new LinkedHashMap<>();
            for (Snapshot snapshot : snapshots) {
                State s = state(workspace, snapshot.profileId());
                if (snapshot.version() <= s.version || "ERASED".equals(s.status)) {
                    continue;
                }
                applied.put(snapshot.profileId(), ProfileChanges.snapshot(s.status, snapshot.status(), s.traits,
                        snapshot.traits(), s.attributes, snapshot.aggregates()));
                s.version = snapshot.version();
                s.status = snapshot.status();
                s.traits = new HashMap<>(snapshot.traits());
                s.attributes = new HashMap<>(snapshot.aggregates());
                s.identifiers = List.copyOf(snapshot.identifiers());
            }
            return applied;
        }

        @Override
        public Set<String> addEvents(String workspace, List<AttributedEvent> events) {
            Set<String> added = new HashSet<>();
            events.forEach(e -> {
                if (state(workspace, e.profileId()).events.putIfAbsent(e.event().eventId(), e.event()) == null) {
                    added.add(e.event().eventId());
                }
            });
            return added;
        }

        @Override
        public void moveEvents(String workspace, String absorbedId, String survivorId) {
            State absorbed = state(workspace, absorbedId);
            state(workspace, survivorId).events.putAll(absorbed.events);
            absorbed.events.clear();
            absorbed.status = "MERGED";
        }

        @Override
        public void restoreEvents(String workspace, String survivorId, String restoredId, List<String> eventIds) {
            State survivor = state(workspace, survivorId);
            State restored = state(workspace, restoredId);
            eventIds.forEach(id -> Optional.ofNullable(survivor.events.remove(id)).ifPresent(e -> restored.events.put(id, e)));
            restored.status = "ACTIVE";
        }

        @Override
        public boolean isActive(String workspace, String profileId) {
            State s = states.get(new Key(workspace, profileId));
            return s != null && "ACTIVE".equals(s.status);
        }

        @Override
        public ProfileFacts facts(String workspace, String profileId, Evaluation.Inputs inputs) {
            State s = state(workspace, profileId);
            Map<String, Object> traits = new HashMap<>(s.traits);
            traits.put(ProfileFacts.PROFILE_ATTRIBUTES, s.attributes);
            List<ObservedEvent> events = s.events.values().stream()
                    .filter(e -> inputs.eventNames().contains(e.name()) && !e.occurredAt().isBefore(inputs.eventsSince()))
                    .sorted(Comparator.comparing(ObservedEvent::occurredAt)).toList();
            return new ProfileFacts(profileId, traits, events);
        }

        @Override
        public void nextMembershipVersions(String workspace, Collection<String> profileIds) {
            profileIds.forEach(id -> nextMembershipVersion(workspace, id));
        }

        @Override
        public long nextMembershipVersion(String workspace, String profileId) {
            return ++state(workspace, profileId).membershipVersion;
        }

        long membershipVersion(String workspace, String profileId) {
            return state(workspace, profileId).membershipVersion;
        }

        @Override
        public Optional<String> profileOf(String workspace, Identifier identifier) {
            return states.entrySet().stream().filter(e -> e.getKey().workspace().equals(workspace)
                    && e.getValue().identifiers.contains(identifier)).map(e -> e.getKey().profileId()).findFirst();
        }

        @Override
        public List<Identifier> identifiersOf(String workspace, String profileId) {
            return state(workspace, profileId).identifiers;
        }

        @Override
        public void markErased(String workspace, String profileId) {
            state(workspace, profileId).status = "ERASED";
        }

        @Override
        public void forget(String workspace, String profileId) {
            State s = state(workspace, profileId);
            s.events.clear();
            s.identifiers = List.of();
        }

        @Override
        public Range lockRange(String workspace, String afterProfileId, String lastProfileId, List<Segment> segments,
                               Evaluation.Inputs inputs, Instant now) {
            throw new UnsupportedOperationException("backfill pages read ranges in SQL: tested against PostgreSQL");
        }

        @Override
        public List<String> profileIds(String workspace, String afterProfileId, int limit) {
            return states.keySet().stream().filter(k -> k.workspace().equals(workspace)
                            && k.profileId().compareTo(afterProfileId) > 0 && isActive(workspace, k.profileId()))
                    .map(Key::profileId).limit(limit).toList();
        }

        @Override
        public long countActive(String workspace) {
            return profileIds(workspace, "", Integer.MAX_VALUE).size();
        }

        /** Exact quantiles (the SQL one samples). */
        @Override
        public List<String> pageBounds(String workspace, long activeProfiles, int pageProfiles) {
            List<String> ids = profileIds(workspace, "", Integer.MAX_VALUE).stream().sorted().toList();
            int pages = (ids.size() + pageProfiles - 1) / pageProfiles;
            return IntStream.range(1, Math.max(pages, 1)).mapToObj(i -> ids.get(i * ids.size() / pages)).distinct().toList();
        }
    }

    /** Current membership with sequences, and the history of stays. */
    static final class InMemoryMemberships implements Memberships {
        private record Row(String workspace, String segmentId, String profileId) {
        }

        private final Map<Row, State> current = new LinkedHashMap<>();
        private final List<Object[]> history = new ArrayList<>();
        private final InMemoryProfileStates states;
        private final InMemorySegments segments;

        InMemoryMemberships(InMemoryProfileStates states, InMemorySegments segments) {
            this.states = states;
            this.segments = segments;
        }

        @Override
        public Map<String, State> of(String workspace, String profileId) {
            Map<String, State> of = new HashMap<>();
            current.forEach((row, state) -> {
                if (row.workspace().equals(workspace) && row.profileId().equals(profileId)) {
                    of.put(row.segmentId(), state);
                }
            });
            return of;
        }

        @Override
        public void enter(String workspace, String segmentId, String profileId, long sequence, boolean holdout, Instant at,
                          String cause) {
            current.put(new Row(workspace, segmentId, profileId), new State(true, sequence, holdout));
            history.add(new Object[] {workspace, segmentId, profileId, at, null, cause, null});
        }

        @Override
        public void exit(String workspace, String segmentId, String profileId, long sequence, Instant at, String cause) {
            State before = current.get(new Row(workspace, segmentId, profileId));
            current.put(new Row(workspace, segmentId, profileId), new State(false, sequence, before != null && before.holdout()));
            for (Object[] stay : history) {
                if (stay[0].equals(workspace) && stay[1].equals(segmentId) && stay[2].equals(profileId) && stay[4] == null) {
                    stay[4] = at;
                    stay[6] = cause;
                }
            }
        }

        @Override
        public Map<String, Map<String, State>> of(String workspace, Collection<String> segmentIds, Collection<String> profileIds) {
            Map<String, Map<String, State>> of = new HashMap<>();
            profileIds.forEach(p -> of.put(p, new HashMap<>(of(workspace, p))));
            of.values().forEach(m -> m.keySet().retainAll(segmentIds));
            return of;
        }

        @Override
        public void recordAll(String workspace, List<Evaluation.Transition> transitions, Instant at,
                              Function<Evaluation.Transition, String> causes) {
            transitions.forEach(t -> {
                if (t.entered()) {
                    enter(workspace, t.segment().id(), t.profileId(), t.sequence(), t.holdout(), at, causes.apply(t));
                } else {
                    exit(workspace, t.segment().id(), t.profileId(), t.sequence(), at, causes.apply(t));
                }
            });
        }

        @Override
        public CurrentSegments current(String workspace, String profileId) {
            Set<String> live = new HashSet<>(segments.list(workspace).stream().map(Segment::id).toList());
            List<String> ids = new ArrayList<>();
            List<String> heldOut = new ArrayList<>();
            of(workspace, profileId).entrySet().stream().filter(e -> e.getValue().member() && live.contains(e.getKey()))
                    .sorted(Map.Entry.comparingByKey()).forEach(e -> {
                        ids.add(e.getKey());
                        if (e.getValue().holdout()) {
                            heldOut.add(e.getKey());
                        }
                    });
            return new CurrentSegments(states.membershipVersion(workspace, profileId), ids, heldOut);
        }

        @Override
        public List<String> members(String workspace, String segmentId) {
            return current.entrySet().stream().filter(e -> e.getKey().workspace().equals(workspace)
                    && e.getKey().segmentId().equals(segmentId) && e.getValue().member())
                    .map(e -> e.getKey().profileId()).sorted().toList();
        }

        @Override
        public Map<String, CurrentSegments> currentAll(String workspace, Collection<String> profileIds) {
            Map<String, CurrentSegments> all = new HashMap<>();
            profileIds.forEach(p -> all.put(p, current(workspace, p)));
            return all;
        }

        @Override
        public List<Interval> historyOf(String workspace, String profileId) {
            return history.stream().filter(s -> s[0].equals(workspace) && s[2].equals(profileId))
                    .map(s -> new Interval((String) s[1], profileId, (Instant) s[3], (Instant) s[4], (String) s[5],
                            (String) s[6])).toList();
        }

        @Override
        public List<String> membersPage(String workspace, String segmentId, Instant at, String afterProfileId, int limit) {
            return members(workspace, segmentId).stream().filter(p -> p.compareTo(afterProfileId) > 0).limit(limit).toList();
        }

        @Override
        public long size(String workspace, String segmentId) {
            return members(workspace, segmentId).size();
        }
    }

    static final class InMemoryTimers implements Timers {
        private final Map<List<String>, Instant> due = new HashMap<>();

        @Override
        public Optional<Instant> earliestDue() {
            return due.values().stream().min(Instant::compareTo);
        }

        @Override
        public void schedule(String workspace, String profileId, Optional<Instant> dueAt) {
            dueAt.ifPresentOrElse(at -> due.put(List.of(workspace, profileId), at), () -> due.remove(List.of(workspace, profileId)));
        }

        @Override
        public List<Due> due(Instant now, int limit) {
            return due.entrySet().stream().filter(e -> !e.getValue().isAfter(now)).sorted(Map.Entry.comparingByValue())
                    .limit(limit).map(e -> new Due(e.getKey().get(0), e.getKey().get(1), e.getValue())).toList();
        }

        @Override
        public Map<String, Instant> dueAtRange(String workspace, String fromProfileId, String toProfileId) {
            Map<String, Instant> range = new HashMap<>();
            due.forEach((k, at) -> {
                if (k.get(0).equals(workspace) && k.get(1).compareTo(fromProfileId) >= 0 && k.get(1).compareTo(toProfileId) <= 0) {
                    range.put(k.get(1), at);
                }
            });
            return range;
        }

        @Override
        public Map<String, Instant> dueAtAll(String workspace, Collection<String> profileIds) {
            Map<String, Instant> of = new HashMap<>();
            profileIds.forEach(p -> dueAt(workspace, p).ifPresent(at -> of.put(p, at)));
            return of;
        }

        @Override
        public void scheduleNoLaterThan(String workspace, Map<String, Instant> dueAt) {
            dueAt.forEach((p, at) -> due.merge(List.of(workspace, p), at, (a, b) -> a.isBefore(b) ? a : b));
        }

        @Override
        public Optional<Instant> dueAt(String workspace, String profileId) {
            return Optional.ofNullable(due.get(List.of(workspace, profileId)));
        }
    }

    /** A catalog that has seen whatever it was told, with the JSON types of the values. */
    static final class InMemoryCatalog implements Catalog {
        private final Map<List<String>, Map<String, Set<String>>> events = new HashMap<>();
        private final Map<List<String>, Set<String>> traits = new HashMap<>();

        @Override
        public void recordEvent(String workspace, String eventName, Map<String, Object> properties) {
            if (eventName == null) {
                return; // as on PostgreSQL: unnamed events (page views) are not in the catalog
            }
            Map<String, Set<String>> props = events.computeIfAbsent(List.of(workspace, eventName), k -> new HashMap<>());
            properties.forEach((name, value) -> props.computeIfAbsent(name, n -> new HashSet<>()).add(Catalog.typeOf(value)));
        }

        @Override
        public void recordTraits(String workspace, Map<String, Object> values) {
            values.forEach((name, value) -> traits.computeIfAbsent(List.of(workspace, name), n -> new HashSet<>())
                    .add(Catalog.typeOf(value)));
        }

        @Override
        public Map<String, Map<String, Set<String>>> events(String workspace, Collection<String> eventNames) {
            Map<String, Map<String, Set<String>>> seen = new HashMap<>();
            eventNames.forEach(n -> Optional.ofNullable(events.get(List.of(workspace, n))).ifPresent(p -> seen.put(n, p)));
            return seen;
        }

        @Override
        public Map<String, Set<String>> traits(String workspace, Collection<String> traitNames) {
            Map<String, Set<String>> seen = new HashMap<>();
            traitNames.forEach(n -> Optional.ofNullable(traits.get(List.of(workspace, n))).ifPresent(t -> seen.put(n, t)));
            return seen;
        }
    }

    static final class InMemoryBackfillJobs implements BackfillJobs {
        final List<BackfillJob> jobs = new ArrayList<>();
        final Map<String, List<BackfillJob.SlicePlan>> slices = new HashMap<>();

        @Override
        public void add(BackfillJob job, List<BackfillJob.SlicePlan> plan) {
            jobs.add(job);
            slices.put(job.id(), plan);
        }

        @Override
        public List<BackfillJob> running() {
            return jobs.stream().filter(j -> BackfillJob.RUNNING.equals(j.status())).toList();
        }

        @Override
        public Optional<BackfillJob> holdRunning(String jobId) {
            return running().stream().filter(j -> j.id().equals(jobId)).findFirst();
        }

        @Override
        public List<Integer> unfinishedSlices(String jobId) {
            throw new UnsupportedOperationException("backfill pages are tested against PostgreSQL");
        }

        @Override
        public Optional<BackfillJob.Slice> lockSlice(String jobId, int slice) {
            throw new UnsupportedOperationException("backfill pages are tested against PostgreSQL");
        }

        @Override
        public void advance(String jobId, int slice, String cursor, long pageSize, long changed, Instant at) {
            throw new UnsupportedOperationException("backfill pages are tested against PostgreSQL");
        }

        @Override
        public void finishSlice(String jobId, int slice, Instant at) {
            throw new UnsupportedOperationException("backfill pages are tested against PostgreSQL");
        }

        @Override
        public boolean completeIfFinished(String jobId, Instant at) {
            throw new UnsupportedOperationException("backfill pages are tested against PostgreSQL");
        }

        @Override
        public void cancelRunning(String workspace, String segmentId, Instant at) {
            running().stream().filter(j -> j.workspace().equals(workspace) && j.segmentId().equals(segmentId))
                    .toList().forEach(j -> replace(j.id(), BackfillJob.CANCELLED, at));
        }

        private void replace(String jobId, String status, Instant at) {
            jobs.replaceAll(j -> j.id().equals(jobId) ? new BackfillJob(j.id(), j.workspace(), j.segmentId(),
                    j.segmentVersion(), status, j.total(), j.done(), j.changed(), j.startedAt(), at, at) : j);
        }

        @Override
        public Optional<BackfillJob> latest(String workspace, String segmentId) {
            return jobs.stream().filter(j -> j.workspace().equals(workspace) && j.segmentId().equals(segmentId))
                    .reduce((a, b) -> b);
        }
    }

    /** The serving cache as a map, newest version wins, as the Redis script does. */
    static final class InMemoryMembershipCache implements MembershipCache {
        final Map<List<String>, Memberships.CurrentSegments> segments = new HashMap<>();
        final Map<List<String>, String> identifiers = new HashMap<>();

        @Override
        public Optional<Memberships.CurrentSegments> segmentsOf(String workspace, String profileId) {
            return Optional.ofNullable(segments.get(List.of(workspace, profileId)));
        }

        @Override
        public void putSegments(String workspace, String profileId, Memberships.CurrentSegments current) {
            segments.merge(List.of(workspace, profileId), current, (a, b) -> b.version() > a.version() ? b : a);
        }

        @Override
        public void putAllSegments(String workspace, Map<String, Memberships.CurrentSegments> all) {
            all.forEach((p, c) -> putSegments(workspace, p, c));
        }

        @Override
        public Optional<String> profileOf(String workspace, String idType, String idValue) {
            return Optional.ofNullable(identifiers.get(List.of(workspace, idType, idValue)));
        }

        @Override
        public void putIdentifier(String workspace, String idType, String idValue, String profileId) {
            identifiers.put(List.of(workspace, idType, idValue), profileId);
        }

        @Override
        public void forgetIdentifier(String workspace, String idType, String idValue) {
            identifiers.remove(List.of(workspace, idType, idValue));
        }
    }
}
