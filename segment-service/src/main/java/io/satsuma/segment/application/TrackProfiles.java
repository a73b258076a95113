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
import io.satsuma.segment.domain.ProfileStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps segment-service's copy of each profile in step with profile-service and re-evaluates a profile after
 * every change, a poll at a time (ADR 008): every profile the poll touches is locked first, in id order (so
 * the snapshot and event consumers never deadlock each other), each is evaluated once for its run of events,
 * and the membership cache is refreshed once the poll has committed. Every handler is idempotent (snapshot
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
     * A poll of {@code satsuma.profile-events.v1} in one transaction: each run of plain events stores the new
     * ones and evaluates each profile once for all of them; merge, unmerge and erase markers are applied one by
     * one, in order, between the runs.
     */
    @Transactional
    public void apply(List<ProfileChange> changes) {
        lockAll(changes);
        Map<String, Set<String>> changed = new LinkedHashMap<>();
        List<ProfileChange.Event> run = new ArrayList<>();
        for (ProfileChange change : changes) {
            if (change instanceof ProfileChange.Event event) {
                run.add(event);
                continue;
            }
            applyRun(run, changed);
            run.clear();
            if (change instanceof ProfileChange.Snapshot s) {
                if (applySnapshot(s.workspace(), s.snapshot())) {
                    touched(changed, s.workspace()).add(s.snapshot().profileId());
                    cacheRefresh.identifiers(s.workspace(), s.snapshot().profileId(), identifiers(s.snapshot()));
                }
            } else if (change instanceof ProfileChange.Merged m) {
                touched(changed, m.workspace()).addAll(merge(m.workspace(), m.merged()));
            } else if (change instanceof ProfileChange.Unmerged u) {
                touched(changed, u.workspace()).addAll(unmerge(u.workspace(), u.unmerged()));
            } else if (change instanceof ProfileChange.Erased e) {
                erase(e.workspace(), e.erased());
            }
        }
        applyRun(run, changed);
        changed.forEach(cacheRefresh::memberships);
    }

    /**
     * A poll of {@code satsuma.profiles.v1} in one transaction: of each profile only its newest snapshot is
     * applied (older ones would be dropped by their version anyway), and the profile is evaluated once.
     */
    @Transactional
    public void applySnapshots(List<ProfileChange.Snapshot> snapshots) {
        Map<List<String>, ProfileChange.Snapshot> newest = new LinkedHashMap<>();
        snapshots.forEach(s -> newest.merge(List.of(s.workspace(), s.snapshot().profileId()), s,
                (a, b) -> b.snapshot().version() > a.snapshot().version() ? b : a));
        apply(List.copyOf(newest.values()));
    }

    private void lockAll(List<ProfileChange> changes) {
        Map<String, TreeSet<String>> byWorkspace = new TreeMap<>();
        changes.forEach(c -> byWorkspace.computeIfAbsent(c.workspace(), w -> new TreeSet<>()).addAll(c.profileIds()));
        byWorkspace.forEach(states::lockAll);
    }

    private static Set<String> touched(Map<String, Set<String>> changed, String workspace) {
        return changed.computeIfAbsent(workspace, w -> new LinkedHashSet<>());
    }

    /** Plain events: stored (redeliveries change nothing), each profile evaluated once for its new ones. */
    private void applyRun(List<ProfileChange.Event> run, Map<String, Set<String>> changed) {
        Map<List<String>, List<ProfileEvent>> byProfile = new LinkedHashMap<>();
        run.forEach(e -> byProfile.computeIfAbsent(List.of(e.workspace(), e.event().profileId()), k -> new ArrayList<>())
                .add(e.event()));
        byProfile.forEach((key, events) -> {
            String workspace = key.get(0);
            String profileId = key.get(1);
            int added = 0;
            String last = null;
            for (ProfileEvent event : events) {
                if (store(workspace, event)) {
                    added++;
                    last = event.event() == null ? event.type() : event.event();
                }
            }
            if (added > 0) {
                evaluate.evaluate(workspace, profileId, added == 1 ? "event " + last : added + " events");
                touched(changed, workspace).add(profileId);
            }
        });
    }

    /** Applies a snapshot newer than what is stored and evaluates the profile; the caller holds its lock. */
    private boolean applySnapshot(String workspace, ProfileSnapshot snapshot) {
        boolean applied = states.applySnapshot(workspace, snapshot.profileId(), snapshot.version(), snapshot.status(),
                snapshot.mergedInto(), snapshot.traits(), attributes(snapshot.aggregates()), identifiers(snapshot));
        if (applied) {
            catalog.recordTraits(workspace, snapshot.traits());
            evaluate.evaluate(workspace, snapshot.profileId(), "profile changed (v" + snapshot.version() + ")");
        }
        return applied;
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

    /** Stores the event and notes its properties in the catalog; false for a redelivery. */
    private boolean store(String workspace, ProfileEvent event) {
        boolean added = states.addEvent(workspace, event.profileId(),
                new ObservedEvent(event.eventId(), event.event(), event.timestamp(), event.properties()));
        if (added) {
            catalog.recordEvent(workspace, event.event(), event.properties());
        }
        return added;
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
