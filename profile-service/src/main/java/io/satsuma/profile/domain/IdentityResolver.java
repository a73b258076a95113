package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides which profile an event belongs to from the identifiers it carries and the identity graph.
 * Pure: the caller loads the profiles that own any of the identifiers and applies the decision.
 *
 * <ul>
 *   <li>No owner: a new profile.</li>
 *   <li>One owner: attach the identifiers it lacks, unless that breaks a type's limit.</li>
 *   <li>Several owners: merge them into the oldest, unless the union breaks a limit (two user ids);
 *       then the event goes to the owner of its highest-priority identifier and the merge is refused.</li>
 * </ul>
 */
public final class IdentityResolver {
    private final IdentityRules rules;
    private final Supplier<String> newProfileId;

    public IdentityResolver(IdentityRules rules, Supplier<String> newProfileId) {
        this.rules = rules;
        this.newProfileId = newProfileId;
    }

    /**
     * @param incoming the event's identifiers (already normalised and unblocked), non-empty
     * @param owners   for each incoming identifier that exists in the graph, its profile
     * @param profiles every profile named in {@code owners}
     */
    public Resolution resolve(List<Identifier> incoming, Map<Identifier, String> owners,
                              Map<String, KnownProfile> profiles) {
        if (incoming.isEmpty()) {
            throw new IllegalArgumentException("an event needs at least one identifier");
        }
        Set<String> ownerIds = new LinkedHashSet<>();
        for (Identifier id : incoming) {
            if (owners.containsKey(id)) {
                ownerIds.add(owners.get(id));
            }
        }
        if (ownerIds.isEmpty()) {
            return new Resolution.Created(newProfileId.get(), withinLimits(Set.of(), incoming, new ArrayList<>(), null));
        }
        if (ownerIds.size() == 1) {
            return attach(profiles.get(ownerIds.iterator().next()), incoming, owners);
        }
        List<KnownProfile> linked = ownerIds.stream().map(profiles::get)
                .sorted(Comparator.comparing(KnownProfile::createdAt).thenComparing(KnownProfile::id))
                .toList();
        Set<Identifier> union = new HashSet<>();
        linked.forEach(p -> union.addAll(p.identifiers()));
        Identifier breaking = firstBreakingLimit(union);
        if (breaking == null) {
            KnownProfile survivor = linked.get(0);
            List<String> absorbed = linked.subList(1, linked.size()).stream().map(KnownProfile::id).toList();
            Set<Identifier> held = new HashSet<>(union);
            List<Identifier> unowned = incoming.stream().filter(id -> !owners.containsKey(id)).toList();
            List<Identifier> attachable = withinLimits(held, unowned, new ArrayList<>(), survivor.id());
            return new Resolution.Merged(survivor.id(), absorbed, attachable, "shared identifiers of "
                    + describeShared(incoming, owners));
        }
        KnownProfile target = ownerOfHighestPriority(incoming, owners, profiles);
        List<Resolution.Refusal> refusals = new ArrayList<>();
        for (KnownProfile other : linked) {
            if (!other.id().equals(target.id())) {
                refusals.add(new Resolution.Refusal(target.id(), other.id(), breaking,
                        "merging would give the profile more than " + rules.rule(breaking.type()).limit()
                                + " identifier(s) of type " + breaking.type()));
            }
        }
        Resolution.Attached attached = attach(target, incoming, owners);
        refusals.addAll(attached.refusals());
        return new Resolution.Attached(target.id(), attached.newIdentifiers(), refusals);
    }

    private Resolution.Attached attach(KnownProfile profile, List<Identifier> incoming, Map<Identifier, String> owners) {
        List<Resolution.Refusal> refusals = new ArrayList<>();
        List<Identifier> unowned = incoming.stream().filter(id -> !owners.containsKey(id)).toList();
        List<Identifier> attachable = withinLimits(profile.identifiers(), unowned, refusals, profile.id());
        return new Resolution.Attached(profile.id(), attachable, refusals);
    }

    /** The identifiers of {@code candidates} that fit next to {@code held}; the rest become refusals. */
    private List<Identifier> withinLimits(Set<Identifier> held, List<Identifier> candidates,
                                          List<Resolution.Refusal> refusals, String profileId) {
        Map<String, Integer> counts = new HashMap<>();
        held.forEach(id -> counts.merge(id.type(), 1, Integer::sum));
        List<Identifier> accepted = new ArrayList<>();
        for (Identifier id : candidates) {
            int count = counts.getOrDefault(id.type(), 0);
            if (count < rules.rule(id.type()).limit()) {
                accepted.add(id);
                counts.put(id.type(), count + 1);
            } else {
                refusals.add(new Resolution.Refusal(profileId, null, id,
                        "profile already holds " + count + " identifier(s) of type " + id.type()));
            }
        }
        return accepted;
    }

    private Identifier firstBreakingLimit(Set<Identifier> union) {
        Map<String, List<Identifier>> byType = new HashMap<>();
        union.forEach(id -> byType.computeIfAbsent(id.type(), t -> new ArrayList<>()).add(id));
        return byType.entrySet().stream()
                .filter(e -> e.getValue().size() > rules.rule(e.getKey()).limit())
                .map(e -> e.getValue().stream().min(Comparator.comparing(Identifier::value)).orElseThrow())
                .min(Comparator.comparing(Identifier::type))
                .orElse(null);
    }

    private KnownProfile ownerOfHighestPriority(List<Identifier> incoming, Map<Identifier, String> owners,
                                                Map<String, KnownProfile> profiles) {
        return incoming.stream()
                .filter(owners::containsKey)
                .max(Comparator.comparingInt(id -> rules.rule(id.type()).priority()))
                .map(id -> profiles.get(owners.get(id)))
                .orElseThrow();
    }

    private static String describeShared(List<Identifier> incoming, Map<Identifier, String> owners) {
        return incoming.stream().filter(owners::containsKey).map(Identifier::type).distinct().sorted()
                .reduce((a, b) -> a + "+" + b).orElse("");
    }
}
