package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Identity resolution of a poll's events in arrival order, on an in-memory copy of the part of the identity graph
 * they touch: each event is resolved against the graph as the events before it left it, exactly as
 * {@link IdentityResolver} decides a single event, and its decision is applied to the copy (profiles created,
 * merged, identifiers attached with their origin). The caller then writes the outcome with a few statements instead
 * of reading and writing the graph once per event. Pure.
 *
 * <p>The events fall into connected components (events sharing an identifier or an owner); those of different
 * components never read what the others change, so replaying all of them in arrival order on one copy is the same
 * as replaying each component on its own.
 */
public final class ResolutionReplay {

    /** An event to resolve: its position in the poll and its identifiers (normalised, unblocked, non-empty). */
    public record Item(int position, List<Identifier> identifiers) {
    }

    /**
     * What resolution decided for one event, and the profile it is first attributed to (its events' and new
     * identifiers' origin, see {@link IdentityResolver#originOf}).
     */
    public record Step(int position, Resolution resolution, String origin) {
    }

    /**
     * @param steps      one per item, in arrival order
     * @param created    the profiles the replay created, by id, with their creation time
     * @param survivorOf each profile absorbed by a merge of the replay → the profile holding its identifiers at the
     *                   end (the survivor of the survivor, for a chain of merges)
     * @param attached   identifiers nobody held before, with the profile holding them at the end and their origin
     * @param separated  for each merge of the replay, in order: the survivor and the profiles whose separations it
     *                   inherits (the absorbed one and what was merged into it earlier in the replay)
     */
    public record Outcome(List<Step> steps, Map<String, Instant> created, Map<String, String> survivorOf,
                          Map<Identifier, IdentityGraph.Ownership> attached, List<Inheritance> separated) {

        /** The profile holding what {@code profileId} held at the end of the replay. */
        public String holderOf(String profileId) {
            return survivorOf.getOrDefault(profileId, profileId);
        }
    }

    /** A survivor and the profiles whose separations (pairs an operator unmerged) it inherits by a merge. */
    public record Inheritance(String survivorId, List<String> fromProfiles) {
    }

    private ResolutionReplay() {
    }

    /**
     * @param ownership the identifiers' owners and origins as stored (owners locked and active)
     * @param known     every owner in {@code ownership}, as resolution sees it
     * @param at        the poll's instant: new profiles are created at {@link BatchPlan#createdAt}
     */
    public static Outcome replay(List<Item> items, Map<Identifier, IdentityGraph.Ownership> ownership,
                                 Map<String, KnownProfile> known, IdentityRules rules, Supplier<String> newProfileId,
                                 Instant at) {
        IdentityResolver resolver = new IdentityResolver(rules, newProfileId);
        Map<Identifier, IdentityGraph.Ownership> owned = new HashMap<>(ownership);
        Map<String, KnownProfile> profiles = new HashMap<>();
        known.forEach((id, p) -> profiles.put(id, mutableCopy(p)));
        Map<String, Instant> created = new LinkedHashMap<>();
        Map<String, String> survivorOf = new LinkedHashMap<>();
        Map<String, List<String>> constituents = new HashMap<>();
        Map<Identifier, IdentityGraph.Ownership> attached = new LinkedHashMap<>();
        List<Inheritance> separated = new ArrayList<>();
        List<Step> steps = new ArrayList<>();

        for (Item item : items) {
            Map<Identifier, IdentityGraph.Ownership> before = new HashMap<>();
            Map<Identifier, String> owners = new HashMap<>();
            Map<String, KnownProfile> involved = new HashMap<>();
            for (Identifier id : item.identifiers()) {
                IdentityGraph.Ownership o = owned.get(id);
                if (o != null) {
                    before.put(id, o);
                    owners.put(id, o.profileId());
                    involved.put(o.profileId(), profiles.get(o.profileId()));
                }
            }
            Resolution resolution = resolver.resolve(item.identifiers(), owners, involved);
            String profileId = resolution.profileId();
            Set<String> joined = new HashSet<>(List.of(profileId));
            if (resolution instanceof Resolution.Created) {
                Instant createdAt = BatchPlan.createdAt(at, item.position());
                profiles.put(profileId, new KnownProfile(profileId, createdAt, new HashSet<>(), new HashSet<>()));
                created.put(profileId, createdAt);
            } else if (resolution instanceof Resolution.Merged merged) {
                joined.addAll(merged.absorbed());
                KnownProfile survivor = profiles.get(profileId);
                for (String absorbedId : merged.absorbed()) {
                    KnownProfile absorbed = profiles.remove(absorbedId);
                    survivor.identifiers().addAll(absorbed.identifiers());
                    survivor.keptApartFrom().addAll(absorbed.keptApartFrom());
                    for (Identifier id : absorbed.identifiers()) {
                        IdentityGraph.Ownership o = owned.get(id);
                        if (o == null) {
                            continue; // not in this poll: the caller's write moves it with the rest
                        }
                        owned.put(id, new IdentityGraph.Ownership(profileId, o.origin()));
                        if (attached.containsKey(id)) {
                            attached.put(id, new IdentityGraph.Ownership(profileId, attached.get(id).origin()));
                        }
                    }
                    List<String> brought = new ArrayList<>(List.of(absorbedId));
                    brought.addAll(constituents.getOrDefault(absorbedId, List.of()));
                    separated.add(new Inheritance(profileId, List.copyOf(brought)));
                    constituents.computeIfAbsent(profileId, p -> new ArrayList<>()).addAll(brought);
                    brought.forEach(p -> survivorOf.put(p, profileId));
                }
            }
            String origin = IdentityResolver.originOf(item.identifiers(), before, joined, profileId, rules);
            for (Identifier id : resolution.newIdentifiers()) {
                IdentityGraph.Ownership o = new IdentityGraph.Ownership(profileId, origin);
                owned.put(id, o);
                attached.put(id, o);
                profiles.get(profileId).identifiers().add(id);
            }
            steps.add(new Step(item.position(), resolution, origin));
        }
        return new Outcome(List.copyOf(steps), created, survivorOf, attached, List.copyOf(separated));
    }

    private static KnownProfile mutableCopy(KnownProfile p) {
        return new KnownProfile(p.id(), p.createdAt(), new HashSet<>(p.identifiers()), new HashSet<>(p.keptApartFrom()));
    }
}
