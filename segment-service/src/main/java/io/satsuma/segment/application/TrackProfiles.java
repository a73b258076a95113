package io.satsuma.segment.application;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.contracts.profile.v1.ProfilesUnmerged;
import io.satsuma.segment.domain.Catalog;
import io.satsuma.segment.domain.ObservedEvent;
import io.satsuma.segment.domain.ProfileChanges;
import io.satsuma.segment.domain.ProfileStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps segment-service's copy of each profile in step with profile-service and re-evaluates a profile after
 * every change, a poll at a time (ADR 008, ADR 013): every profile the poll touches is locked first, in id order
 * (so that other instances' polls and the timer sweep never deadlock with it), a run of events or snapshots is
 * stored and evaluated set-based, each profile once and only against the segments its changes can affect, and
 * the changed memberships go to the cache once the poll has committed. Every handler is idempotent (snapshot
 * versions, event ids), so a redelivered poll changes nothing.
 */
@ApplicationScoped
public class TrackProfiles {
    private static final TypeReference<Map<String, Object>> AS_MAP = new TypeReference<>() {
    };

    private final ProfileStates states;
    private final EvaluateMembership evaluate;
    private final Catalog catalog;
    private final MembershipCacheRefresh cacheRefresh;
    private final ObjectMapper json;

    TrackProfiles(ProfileStates states, EvaluateMembership evaluate, Catalog catalog, MembershipCacheRefresh cacheRefresh,
                  ObjectMapper json) {
        this.states = states;
        this.evaluate = evaluate;
        this.catalog = catalog;
        this.cacheRefresh = cacheRefresh;
        this.json = json;
    }

    /** What profile-service announced, in the order it arrived. */
    public sealed interface ProfileChange {
        String workspace();

        /** The profiles this change touches (all of them locked before any change of the poll is applied). */
        List<String> profileIds();

        /** A profile's new snapshot ({@code satsuma.profiles.v1}). */
        record Snapshot(String workspace, ProfileSnapshot snapshot) implements ProfileChange {
            public List<String> profileIds() {
                return List.of(snapshot.profileId());
            }
        }

        /** An event attributed to a profile. */
        record Event(String workspace, ProfileEvent event) implements ProfileChange {
            public List<String> profileIds() {
                return List.of(event.profileId());
            }
        }

        record Merged(String workspace, ProfilesMerged merged) implements ProfileChange {
            public List<String> profileIds() {
                return List.of(merged.survivorId(), merged.absorbedId());
            }
        }

        record Unmerged(String workspace, ProfilesUnmerged unmerged) implements ProfileChange {
            public List<String> profileIds() {
                return List.of(unmerged.survivorId(), unmerged.restoredId());
            }
        }

        record Erased(String workspace, ProfileErased erased) implements ProfileChange {
            public List<String> profileIds() {
                return List.of(erased.profileId());
            }
        }
    }

    /**
     * A poll of both topics in one transaction: each run of plain events and snapshots (of each profile only the
     * newest snapshot counts) is stored with a few statements and its profiles are evaluated together, each once
     * and only against the segments its changes can affect ({@link EvaluateMembership#evaluateChanged}); merge,
     * unmerge and erase markers are applied one by one, in order, between the runs.
     */
    @Transactional
    public void apply(List<ProfileChange> changes) {
        Map<String, Set<String>> created = lockAll(changes);
        Map<String, Set<String>> changed = new LinkedHashMap<>();
        List<ProfileChange> run = new ArrayList<>();
        for (ProfileChange change : changes) {
            if (change instanceof ProfileChange.Event || change instanceof ProfileChange.Snapshot) {
                run.add(change);
                continue;
            }
            applyRun(run, created, changed);
            run.clear();
            if (change instanceof ProfileChange.Merged m) {
                touched(changed, m.workspace()).addAll(merge(m.workspace(), m.merged()));
            } else if (change instanceof ProfileChange.Unmerged u) {
                touched(changed, u.workspace()).addAll(unmerge(u.workspace(), u.unmerged()));
            } else if (change instanceof ProfileChange.Erased e) {
                erase(e.workspace(), e.erased());
            }
        }
        applyRun(run, created, changed);
        changed.forEach(cacheRefresh::memberships);
    }

    /** Locks every profile of the poll; returns, by workspace, the profiles that are new here. */
    private Map<String, Set<String>> lockAll(List<ProfileChange> changes) {
        Map<String, TreeSet<String>> byWorkspace = new TreeMap<>();
        changes.forEach(c -> byWorkspace.computeIfAbsent(c.workspace(), w -> new TreeSet<>()).addAll(c.profileIds()));
        Map<String, Set<String>> created = new HashMap<>();
        byWorkspace.forEach((workspace, ids) -> created.put(workspace, new HashSet<>(states.lockAll(workspace, ids))));
        return created;
    }

    private static Set<String> touched(Map<String, Set<String>> changed, String workspace) {
        return changed.computeIfAbsent(workspace, w -> new LinkedHashSet<>());
    }

    /**
     * Plain events and snapshots, a workspace at a time: stored (redeliveries and stale snapshots change
     * nothing), then every profile they changed is evaluated once. A profile new here is evaluated against
     * every segment: nothing of it was evaluated yet ("everyone", "never ordered").
     */
    private void applyRun(List<ProfileChange> run, Map<String, Set<String>> created, Map<String, Set<String>> changed) {
        Map<String, List<ProfileChange>> byWorkspace = new LinkedHashMap<>();
        run.forEach(c -> byWorkspace.computeIfAbsent(c.workspace(), w -> new ArrayList<>()).add(c));
        byWorkspace.forEach((workspace, ofWorkspace) -> {
            Map<String, Accumulated> accumulated = new LinkedHashMap<>();
            storeEvents(workspace, ofWorkspace, accumulated);
            applyNewerSnapshots(workspace, ofWorkspace, accumulated);
            if (accumulated.isEmpty()) {
                return;
            }
            Set<String> isNew = created.computeIfAbsent(workspace, w -> new HashSet<>());
            Map<String, EvaluateMembership.Changed> toEvaluate = new LinkedHashMap<>();
            accumulated.forEach((profileId, a) -> toEvaluate.put(profileId, new EvaluateMembership.Changed(
                    isNew.remove(profileId) ? ProfileChanges.EVERYTHING : a.changes(), a.cause())));
            // Only changed memberships go to Redis: an unchanged entry is still right, a missing one is filled on read.
            touched(changed, workspace).addAll(evaluate.evaluateChanged(workspace, toEvaluate));
        });
    }

    /** What a run changed of one profile, and what its history will name as the cause. */
    private static final class Accumulated {
        final List<String> eventNames = new ArrayList<>();
        int events;
        String lastEvent;
        ProfileChanges snapshot = ProfileChanges.NOTHING;
        String snapshotCause;

        ProfileChanges changes() {
            return ProfileChanges.events(eventNames).and(snapshot);
        }

        String cause() {
            if (snapshotCause != null) {
                return snapshotCause;
            }
            return events == 1 ? "event " + lastEvent : events + " events";
        }
    }

    private void storeEvents(String workspace, List<ProfileChange> run, Map<String, Accumulated> accumulated) {
        List<ProfileStates.AttributedEvent> events = new ArrayList<>();
        for (ProfileChange change : run) {
            if (change instanceof ProfileChange.Event e) {
                ProfileEvent event = e.event();
                events.add(new ProfileStates.AttributedEvent(event.profileId(),
                        new ObservedEvent(event.eventId(), event.event(), event.timestamp(), event.properties())));
            }
        }
        Set<String> stored = new HashSet<>(states.addEvents(workspace, events));
        for (ProfileChange change : run) {
            if (change instanceof ProfileChange.Event e && stored.remove(e.event().eventId())) {
                ProfileEvent event = e.event();
                catalog.recordEvent(workspace, event.event(), event.properties());
                Accumulated a = accumulated.computeIfAbsent(event.profileId(), p -> new Accumulated());
                a.eventNames.add(event.event());
                a.events++;
                a.lastEvent = event.event() == null ? event.type() : event.event();
            }
        }
    }

    private void applyNewerSnapshots(String workspace, List<ProfileChange> run, Map<String, Accumulated> accumulated) {
        Map<String, ProfileSnapshot> snapshots = new LinkedHashMap<>();
        for (ProfileChange change : run) {
            if (change instanceof ProfileChange.Snapshot s) {
                snapshots.merge(s.snapshot().profileId(), s.snapshot(), (a, b) -> b.version() > a.version() ? b : a);
            }
        }
        if (snapshots.isEmpty()) {
            return;
        }
        Map<String, ProfileChanges> applied = states.applySnapshots(workspace, snapshots.values().stream()
                .map(s -> new ProfileStates.Snapshot(s.profileId(), s.version(), s.status(), s.mergedInto(), s.traits(),
                        attributes(s.aggregates()), identifiers(s)))
                .toList());
        Map<String, List<Identifier>> identifiers = new LinkedHashMap<>();
        applied.forEach((profileId, changes) -> {
            ProfileSnapshot snapshot = snapshots.get(profileId);
            catalog.recordTraits(workspace, snapshot.traits());
            identifiers.put(profileId, identifiers(snapshot));
            Accumulated a = accumulated.computeIfAbsent(profileId, p -> new Accumulated());
            a.snapshot = changes;
            a.snapshotCause = "profile changed (v" + snapshot.version() + ")";
        });
        cacheRefresh.identifiers(workspace, identifiers);
    }

    private static List<Identifier> identifiers(ProfileSnapshot snapshot) {
        return snapshot.identifiers() == null ? List.of() : snapshot.identifiers();
    }

    /**
     * The snapshot's aggregates as condition attributes ({@code $profile.orderCount},
     * {@code $profile.categoryViews.Shoes}, {@code $profile.consent.email.granted}, ...): the JSON form of the
     * contract (times as ISO-8601), without the absent values, so that {@code exists} means "known".
     */
    Map<String, Object> attributes(ProfileAggregates a) {
        if (a == null) {
            return new LinkedHashMap<>();
        }
        return withoutNulls(json.convertValue(a, AS_MAP));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNulls(Map<String, Object> values) {
        Map<String, Object> kept = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                kept.put(key, withoutNulls((Map<String, Object>) nested));
            } else if (value != null) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    /**
     * Forgets an erased person: every membership exits (published, so channels remove them), then events,
     * identifiers, membership rows and history are deleted; the profile stays only as an "erased" mark
     * so that stale snapshots cannot bring it back. Its cached identifiers leave Redis after commit.
     */
    private void erase(String workspace, ProfileErased erased) {
        String profileId = erased.profileId();
        List<Identifier> identifiers = states.identifiersOf(workspace, profileId);
        states.markErased(workspace, profileId);
        evaluate.evaluate(workspace, profileId, "profile erased");
        states.forget(workspace, profileId);
        cacheRefresh.forget(workspace, profileId, identifiers);
    }

    private List<String> merge(String workspace, ProfilesMerged merged) {
        states.moveEvents(workspace, merged.absorbedId(), merged.survivorId());
        evaluate.evaluate(workspace, merged.absorbedId(), "merged into " + merged.survivorId());
        evaluate.evaluate(workspace, merged.survivorId(), "absorbed " + merged.absorbedId());
        return List.of(merged.absorbedId(), merged.survivorId());
    }

    /** The reverse of a merge: the restored profile's events are its own again; both are re-evaluated. */
    private List<String> unmerge(String workspace, ProfilesUnmerged unmerged) {
        states.restoreEvents(workspace, unmerged.survivorId(), unmerged.restoredId(), unmerged.eventIds());
        evaluate.evaluate(workspace, unmerged.restoredId(), "unmerged from " + unmerged.survivorId());
        evaluate.evaluate(workspace, unmerged.survivorId(), "gave back " + unmerged.restoredId());
        return List.of(unmerged.restoredId(), unmerged.survivorId());
    }
}
