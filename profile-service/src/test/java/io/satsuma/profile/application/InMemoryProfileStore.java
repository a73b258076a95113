package io.satsuma.profile.application;

import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.profile.domain.Aggregates;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.Erasures;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.KnownProfile;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.ResolutionReplay;
import io.satsuma.profile.domain.Profiles;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * profile-service's store ports in memory, for use-case tests without Quarkus or PostgreSQL: one object, as in
 * the database, so that a merge moves identifiers, events and day buckets together. Locks are no-ops (one thread).
 */
final class InMemoryProfileStore implements IdentityGraph, Profiles, EventLog, DayBuckets, MergeJournal, Erasures {

    private record Held(String workspace, Identifier identifier) {
    }

    private record Holding(String profileId, String origin, long order) {
    }

    private record Stored(String workspace, String profileId, String origin, String publishedAs, IngestedEvent event) {
    }

    private final Map<Held, Holding> identities = new LinkedHashMap<>();
    private final Map<List<String>, ProfileState> profiles = new LinkedHashMap<>();
    private final Map<List<String>, Stored> events = new LinkedHashMap<>();
    private final Map<List<Object>, ProfileSettings.Day> days = new TreeMap<>(Comparator.comparing(Object::toString));
    private final Set<List<String>> separations = new HashSet<>();
    private final List<List<Object>> journal = new ArrayList<>();
    private final Set<Held> suppressed = new HashSet<>();
    private long order;

    // IdentityGraph

    @Override
    public void lockIdentifiers(String workspace, List<Identifier> identifiers) {
    }

    @Override
    public Map<Identifier, String> ownersOf(String workspace, List<Identifier> identifiers) {
        Map<Identifier, String> owners = new HashMap<>();
        ownershipOf(workspace, identifiers).forEach((id, o) -> owners.put(id, o.profileId()));
        return owners;
    }

    @Override
    public Map<Identifier, Ownership> ownershipOf(String workspace, List<Identifier> identifiers) {
        Map<Identifier, Ownership> owners = new HashMap<>();
        for (Identifier id : identifiers) {
            Holding holding = identities.get(new Held(workspace, id));
            if (holding != null) {
                owners.put(id, new Ownership(holding.profileId(), holding.origin()));
            }
        }
        return owners;
    }

    @Override
    public Map<String, KnownProfile> known(String workspace, Collection<String> profileIds) {
        Map<String, KnownProfile> known = new HashMap<>();
        for (String id : new HashSet<>(profileIds)) {
            ProfileState p = profiles.get(List.of(workspace, id));
            if (p != null) {
                Set<String> apart = new HashSet<>();
                separations.stream().filter(s -> s.get(0).equals(workspace) && s.get(1).equals(id)).forEach(s -> apart.add(s.get(2)));
                known.put(id, new KnownProfile(id, p.createdAt(), new HashSet<>(identifiersOf(workspace, id)), apart));
            }
        }
        return known;
    }

    @Override
    public void attach(String workspace, String profileId, List<Identifier> identifiers, String origin, Instant at) {
        for (Identifier id : identifiers) {
            if (identities.putIfAbsent(new Held(workspace, id), new Holding(profileId, origin, order++)) != null) {
                throw new IllegalStateException("duplicate key: " + id.type()); // the primary key of identity
            }
        }
    }

    @Override
    public void attachAll(String workspace, Map<Identifier, Ownership> identifiers, Instant at) {
        identifiers.forEach((id, o) -> attach(workspace, o.profileId(), List.of(id), o.origin(), at));
    }

    @Override
    public void detach(String workspace, String profileId, Identifier identifier) {
        Held key = new Held(workspace, identifier);
        if (identities.containsKey(key) && identities.get(key).profileId().equals(profileId)) {
            identities.remove(key);
        }
    }

    @Override
    public void keepApart(String workspace, String profileId, String otherId, Instant at) {
        separations.add(List.of(workspace, profileId, otherId));
        separations.add(List.of(workspace, otherId, profileId));
    }

    @Override
    public List<Identifier> identifiersOf(String workspace, String profileId) {
        return identities.entrySet().stream()
                .filter(e -> e.getKey().workspace().equals(workspace) && e.getValue().profileId().equals(profileId))
                .sorted(Comparator.comparing((Map.Entry<Held, Holding> e) -> e.getKey().identifier().type())
                        .thenComparingLong(e -> e.getValue().order()))
                .map(e -> e.getKey().identifier()).toList();
    }

    @Override
    public Map<String, List<Identifier>> identifiersOfAll(String workspace, Collection<String> profileIds) {
        Map<String, List<Identifier>> all = new HashMap<>();
        profileIds.forEach(id -> {
            List<Identifier> held = identifiersOf(workspace, id);
            if (!held.isEmpty()) {
                all.put(id, held);
            }
        });
        return all;
    }

    // Profiles

    @Override
    public Set<String> lockProfiles(String workspace, Collection<String> profileIds) {
        Set<String> active = new HashSet<>();
        profileIds.forEach(id -> find(workspace, id).filter(p -> ProfileState.ACTIVE.equals(p.status()))
                .ifPresent(p -> active.add(id)));
        return active;
    }

    @Override
    public Optional<ProfileState> find(String workspace, String profileId) {
        return Optional.ofNullable(profiles.get(List.of(workspace, profileId)));
    }

    @Override
    public Map<String, ProfileState> findAll(String workspace, Collection<String> profileIds) {
        Map<String, ProfileState> found = new HashMap<>();
        profileIds.forEach(id -> find(workspace, id).ifPresent(p -> found.put(id, p)));
        return found;
    }

    @Override
    public void create(String workspace, ProfileState profile) {
        profiles.put(List.of(workspace, profile.id()), profile);
    }

    @Override
    public void createAll(String workspace, List<ProfileState> created, Map<String, List<Identifier>> identifiersById,
                          Instant at) {
        created.forEach(p -> {
            create(workspace, p);
            attach(workspace, p.id(), identifiersById.getOrDefault(p.id(), List.of()), p.id(), at);
        });
    }

    @Override
    public void save(String workspace, ProfileState profile) {
        profiles.put(List.of(workspace, profile.id()), profile);
    }

    @Override
    public void saveAll(String workspace, Collection<ProfileState> saved) {
        saved.forEach(p -> save(workspace, p));
    }

    @Override
    public void absorb(String workspace, String survivorId, String absorbedId, Instant at) {
        ProfileState survivor = find(workspace, survivorId).orElseThrow();
        ProfileState absorbed = find(workspace, absorbedId).orElseThrow();
        Map<String, Object> traits = new LinkedHashMap<>(absorbed.traits());
        traits.putAll(survivor.traits());
        save(workspace, new ProfileState(survivor.id(), survivor.version(), survivor.status(), survivor.mergedInto(), traits,
                survivor.aggregates(), survivor.createdAt(), survivor.updatedAt()));
        save(workspace, new ProfileState(absorbed.id(), absorbed.version() + 1, ProfileState.MERGED, survivorId,
                absorbed.traits(), absorbed.aggregates(), absorbed.createdAt(), at));
        absorbAll(workspace, Map.of(absorbedId, survivorId),
                List.of(new ResolutionReplay.Inheritance(survivorId, List.of(absorbedId))), at);
    }

    @Override
    public void absorbAll(String workspace, Map<String, String> holderOf, List<ResolutionReplay.Inheritance> inherited,
                          Instant at) {
        identities.replaceAll((held, holding) -> held.workspace().equals(workspace) && holderOf.containsKey(holding.profileId())
                ? new Holding(holderOf.get(holding.profileId()), holding.origin(), holding.order()) : holding);
        events.replaceAll((key, e) -> e.workspace().equals(workspace) && holderOf.containsKey(e.profileId())
                ? new Stored(workspace, holderOf.get(e.profileId()), e.origin(), e.publishedAs(), e.event()) : e);
        for (ResolutionReplay.Inheritance inheritance : inherited) {
            new ArrayList<>(separations).stream()
                    .filter(pair -> pair.get(0).equals(workspace) && inheritance.fromProfiles().contains(pair.get(1)))
                    .forEach(pair -> keepApart(workspace, inheritance.survivorId(), pair.get(2), at));
        }
        holderOf.forEach((absorbedId, holder) -> {
            List<ProfileSettings.Day> moved = daysOf(workspace, absorbedId, LocalDate.MIN, LocalDate.MAX);
            days.keySet().removeIf(k -> k.get(0).equals(workspace) && k.get(1).equals(absorbedId));
            moved.forEach(d -> addToDay(workspace, holder, d));
        });
    }

    @Override
    public List<String> withAbsorbed(String workspace, String profileId) {
        List<String> brought = new ArrayList<>(List.of(profileId));
        for (int i = 0; i < brought.size(); i++) {
            String into = brought.get(i);
            profiles.values().stream().filter(p -> into.equals(p.mergedInto()) && ProfileState.MERGED.equals(p.status()))
                    .filter(p -> profiles.containsKey(List.of(workspace, p.id()))).forEach(p -> brought.add(p.id()));
        }
        return brought;
    }

    @Override
    public List<String> restore(String workspace, String survivorId, String restoredId, List<String> origins) {
        identities.replaceAll((held, holding) -> held.workspace().equals(workspace) && holding.profileId().equals(survivorId)
                && origins.contains(holding.origin()) ? new Holding(restoredId, holding.origin(), holding.order()) : holding);
        List<String> moved = new ArrayList<>();
        events.replaceAll((key, e) -> {
            if (e.workspace().equals(workspace) && e.profileId().equals(survivorId) && origins.contains(e.origin())) {
                moved.add(e.event().messageId());
                return new Stored(workspace, restoredId, e.origin(), e.publishedAs(), e.event());
            }
            return e;
        });
        return moved;
    }

    // EventLog

    @Override
    public boolean hasEvent(String workspace, String messageId) {
        return events.containsKey(List.of(workspace, messageId));
    }

    @Override
    public Set<String> storedMessageIds(String workspace, Collection<String> messageIds) {
        Set<String> stored = new HashSet<>();
        messageIds.stream().filter(id -> hasEvent(workspace, id)).forEach(stored::add);
        return stored;
    }

    @Override
    public void recordEvent(String workspace, String profileId, String origin, IngestedEvent event) {
        record(workspace, new Attributed(profileId, origin, profileId, event));
    }

    private void record(String workspace, Attributed a) {
        IngestedEvent event = a.event();
        Stored stored = new Stored(workspace, a.profileId(), a.origin(), a.publishedAs(), event);
        if (events.putIfAbsent(List.of(workspace, event.messageId()), stored) != null) {
            throw new IllegalStateException("duplicate key: message " + event.messageId());
        }
    }

    @Override
    public void recordEvents(String workspace, List<Attributed> attributed) {
        attributed.forEach(a -> record(workspace, a));
    }

    @Override
    public List<String> publishedKeysOf(String workspace, Collection<String> profileIds) {
        return events.values().stream().filter(e -> e.workspace().equals(workspace) && profileIds.contains(e.profileId()))
                .map(e -> ProfileEventKeys.event(e.publishedAs(), e.event().messageId())).sorted().toList();
    }

    @Override
    public List<CustomerEvent> eventsOf(String workspace, String profileId) {
        return events.values().stream().filter(e -> e.workspace().equals(workspace) && e.profileId().equals(profileId))
                .map(e -> CustomerEvent.of(e.event()))
                .sorted(Comparator.comparing(CustomerEvent::timestamp).thenComparing(CustomerEvent::messageId)).toList();
    }

    @Override
    public Map<String, List<CustomerEvent>> eventsOfAll(String workspace, Collection<String> profileIds) {
        Map<String, List<CustomerEvent>> all = new HashMap<>();
        profileIds.forEach(p -> {
            List<CustomerEvent> of = eventsOf(workspace, p);
            if (!of.isEmpty()) {
                all.put(p, of);
            }
        });
        return all;
    }

    @Override
    public Aggregates.Neighbours neighbours(String workspace, String profileId, Instant at) {
        Instant previous = null;
        Instant next = null;
        for (CustomerEvent e : eventsOf(workspace, profileId)) {
            if (!e.timestamp().isAfter(at)) {
                previous = e.timestamp();
            } else if (next == null) {
                next = e.timestamp();
            }
        }
        return new Aggregates.Neighbours(previous, next);
    }

    /** The profile each stored event belongs to now, by message id (what an unmerge moves). */
    Map<String, String> eventOwners(String workspace) {
        Map<String, String> owners = new HashMap<>();
        events.values().stream().filter(e -> e.workspace().equals(workspace))
                .forEach(e -> owners.put(e.event().messageId(), e.profileId()));
        return owners;
    }

    // DayBuckets

    @Override
    public void addToDay(String workspace, String profileId, ProfileSettings.Day d) {
        days.merge(List.of(workspace, profileId, d.day(), d.event()), d,
                (a, b) -> new ProfileSettings.Day(a.day(), a.event(), a.count() + b.count(), a.sum().add(b.sum())));
    }

    @Override
    public void addToDays(String workspace, Map<String, List<ProfileSettings.Day>> contributions) {
        contributions.forEach((profileId, ds) -> ds.forEach(d -> addToDay(workspace, profileId, d)));
    }

    @Override
    public void replaceDays(String workspace, String profileId, List<ProfileSettings.Day> replacement) {
        days.keySet().removeIf(k -> k.get(0).equals(workspace) && k.get(1).equals(profileId));
        replacement.forEach(d -> addToDay(workspace, profileId, d));
    }

    @Override
    public List<ProfileSettings.Day> daysOf(String workspace, String profileId, LocalDate from, LocalDate to) {
        return days.entrySet().stream()
                .filter(e -> e.getKey().get(0).equals(workspace) && e.getKey().get(1).equals(profileId))
                .map(Map.Entry::getValue).filter(d -> !d.day().isBefore(from) && !d.day().isAfter(to))
                .sorted(Comparator.comparing(ProfileSettings.Day::day).thenComparing(ProfileSettings.Day::event)).toList();
    }

    @Override
    public int deleteExpiredDays(int defaultRetentionDays) {
        throw new UnsupportedOperationException("not a use case's concern");
    }

    // MergeJournal

    @Override
    public void journal(String workspace, MergeEntry entry) {
        journal.add(List.of(workspace, entry));
    }

    @Override
    public void journalAll(String workspace, List<MergeEntry> entries) {
        entries.forEach(e -> journal(workspace, e));
    }

    @Override
    public List<MergeEntry> mergesOf(String workspace, String profileId) {
        return journal.stream().filter(j -> j.get(0).equals(workspace)).map(j -> (MergeEntry) j.get(1))
                .filter(e -> profileId.equals(e.survivorId()) || profileId.equals(e.absorbedId())).toList();
    }

    // Erasures

    @Override
    public void erase(String workspace, List<String> profileIds) {
        profileIds.forEach(id -> {
            profiles.remove(List.of(workspace, id));
            identities.entrySet().removeIf(e -> e.getKey().workspace().equals(workspace) && e.getValue().profileId().equals(id));
            events.values().removeIf(e -> e.workspace().equals(workspace) && e.profileId().equals(id));
            days.keySet().removeIf(k -> k.get(0).equals(workspace) && k.get(1).equals(id));
        });
    }

    @Override
    public void suppress(String workspace, List<Identifier> identifiers, Instant at) {
        identifiers.forEach(id -> suppressed.add(new Held(workspace, id)));
    }

    @Override
    public boolean unsuppress(String workspace, Identifier identifier) {
        return suppressed.remove(new Held(workspace, identifier));
    }

    @Override
    public Set<Identifier> suppressedAmong(String workspace, List<Identifier> identifiers) {
        Set<Identifier> among = new LinkedHashSet<>();
        identifiers.stream().filter(id -> suppressed.contains(new Held(workspace, id))).forEach(among::add);
        return among;
    }
}
