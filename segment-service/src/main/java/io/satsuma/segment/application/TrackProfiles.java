package io.satsuma.segment.application;

import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.segment.domain.ObservedEvent;
import io.satsuma.segment.domain.ProfileStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps segment-service's copy of each profile in step with profile-service and re-evaluates the
 * profile after every change. Each handler is idempotent (snapshot versions, event ids) and returns
 * the profiles whose cached membership must be refreshed once the transaction has committed.
 */
@ApplicationScoped
public class TrackProfiles {
    private final ProfileStates states;
    private final EvaluateMembership evaluate;
    private final io.satsuma.segment.domain.Catalog catalog;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    TrackProfiles(ProfileStates states, EvaluateMembership evaluate, io.satsuma.segment.domain.Catalog catalog,
                  com.fasterxml.jackson.databind.ObjectMapper json) {
        this.states = states;
        this.json = json;
        this.evaluate = evaluate;
        this.catalog = catalog;
    }

    /**
     * Many snapshots in one transaction (a poll): each profile locked in id order, its newest snapshot of
     * the batch applied (older ones would be dropped by their version anyway), and evaluated once.
     * Returns the snapshots that were applied.
     */
    @Transactional
    public List<ProfileSnapshot> onSnapshots(String workspace, List<ProfileSnapshot> snapshots) {
        java.util.TreeMap<String, ProfileSnapshot> newest = new java.util.TreeMap<>();
        snapshots.forEach(s -> newest.merge(s.profileId(), s, (a, b) -> b.version() > a.version() ? b : a));
        newest.keySet().forEach(id -> states.lock(workspace, id));
        List<ProfileSnapshot> applied = new java.util.ArrayList<>();
        for (ProfileSnapshot snapshot : newest.values()) {
            if (apply(workspace, snapshot)) {
                applied.add(snapshot);
            }
        }
        return applied;
    }

    /**
     * Many resolved events in one transaction (a poll): each profile locked in id order, its new events
     * stored (redeliveries change nothing), and the profile evaluated once for all of them. Returns the
     * profiles that got new events.
     */
    @Transactional
    public List<String> onEvents(String workspace, List<ProfileEvent> events) {
        java.util.TreeMap<String, List<ProfileEvent>> byProfile = new java.util.TreeMap<>();
        events.forEach(e -> byProfile.computeIfAbsent(e.profileId(), p -> new java.util.ArrayList<>()).add(e));
        byProfile.keySet().forEach(id -> states.lock(workspace, id));
        List<String> changed = new java.util.ArrayList<>();
        byProfile.forEach((profileId, ofProfile) -> {
            int added = 0;
            String last = null;
            for (ProfileEvent event : ofProfile) {
                if (store(workspace, event)) {
                    added++;
                    last = event.event() == null ? event.type() : event.event();
                }
            }
            if (added > 0) {
                evaluate.evaluate(workspace, profileId, added == 1 ? "event " + last : added + " events");
                changed.add(profileId);
            }
        });
        return changed;
    }

    @Transactional
    public List<String> onSnapshot(String workspace, ProfileSnapshot snapshot) {
        String profileId = snapshot.profileId();
        states.lock(workspace, profileId);
        return apply(workspace, snapshot) ? List.of(profileId) : List.of();
    }

    /** Applies a snapshot newer than what is stored and evaluates the profile; the caller holds its lock. */
    private boolean apply(String workspace, ProfileSnapshot snapshot) {
        boolean applied = states.applySnapshot(workspace, snapshot.profileId(), snapshot.version(), snapshot.status(),
                snapshot.mergedInto(), snapshot.traits(), attributes(snapshot.aggregates()),
                snapshot.identifiers() == null ? List.of() : snapshot.identifiers());
        if (applied) {
            catalog.recordTraits(workspace, snapshot.traits());
            evaluate.evaluate(workspace, snapshot.profileId(), "profile changed (v" + snapshot.version() + ")");
        }
        return applied;
    }

    /**
     * The snapshot's aggregates as condition attributes ({@code $profile.orderCount},
     * {@code $profile.categoryViews.Shoes}, {@code $profile.consent.email.granted}, ...): the JSON form of the
     * contract (times as ISO-8601), without the absent values, so that {@code exists} means "known".
     */
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> AS_MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

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

    @Transactional
    public List<String> onEvent(String workspace, ProfileEvent event) {
        String profileId = event.profileId();
        states.lock(workspace, profileId);
        if (!store(workspace, event)) {
            return List.of();
        }
        evaluate.evaluate(workspace, profileId, "event " + (event.event() == null ? event.type() : event.event()));
        return List.of(profileId);
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

    /** What an erasure left to clean outside the database: the cached identifiers of the person. */
    public record Erasure(String profileId, List<io.satsuma.contracts.profile.v1.Identifier> identifiers) {
    }

    /**
     * Forgets an erased person: every membership exits (published, so channels remove them), then events,
     * identifiers, membership rows and history are deleted; the profile stays only as an "erased" mark
     * so that stale snapshots cannot bring it back.
     */
    @Transactional
    public Erasure onErase(String workspace, io.satsuma.contracts.profile.v1.ProfileErased erased) {
        String profileId = erased.profileId();
        states.lock(workspace, profileId);
        var identifiers = states.identifiersOf(workspace, profileId);
        states.markErased(workspace, profileId);
        evaluate.evaluate(workspace, profileId, "profile erased");
        states.forget(workspace, profileId);
        return new Erasure(profileId, identifiers);
    }

    @Transactional
    public List<String> onMerge(String workspace, ProfilesMerged merged) {
        // Locks in a fixed order so two merges touching the same pair never deadlock.
        Stream.of(merged.survivorId(), merged.absorbedId()).sorted().forEach(id -> states.lock(workspace, id));
        states.moveEvents(workspace, merged.absorbedId(), merged.survivorId());
        evaluate.evaluate(workspace, merged.absorbedId(), "merged into " + merged.survivorId());
        evaluate.evaluate(workspace, merged.survivorId(), "absorbed " + merged.absorbedId());
        return List.of(merged.absorbedId(), merged.survivorId());
    }

    /** The reverse of {@link #onMerge}: the restored profile's events are its own again; both are re-evaluated. */
    @Transactional
    public List<String> onUnmerge(String workspace, io.satsuma.contracts.profile.v1.ProfilesUnmerged unmerged) {
        Stream.of(unmerged.survivorId(), unmerged.restoredId()).sorted().forEach(id -> states.lock(workspace, id));
        states.restoreEvents(workspace, unmerged.survivorId(), unmerged.restoredId(), unmerged.eventIds());
        evaluate.evaluate(workspace, unmerged.restoredId(), "unmerged from " + unmerged.survivorId());
        evaluate.evaluate(workspace, unmerged.survivorId(), "gave back " + unmerged.restoredId());
        return List.of(unmerged.restoredId(), unmerged.survivorId());
    }
}
