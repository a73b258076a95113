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
 *   <li>Several owners: merge them into the oldest, unless the union breaks a limit (two user ids) or
 *       an operator unmerged two of them; then the event goes to the owner of its highest-priority
 *       identifier and the merge is refused.</li>
 *   <li>Only identifiers of {@linkplain IdentityRules.TypeRule#unique() unique} types link profiles;
 *       a shared identifier owned elsewhere is left there (the refusal is journaled).</li>
 *   <li>An unowned {@linkplain IdentityRules.TypeRule#login() login} identifier never joins a profile
 *       holding another one of its type: it starts a new profile.</li>
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
        Set<String> linkingOwners = new LinkedHashSet<>();
        for (Identifier id : incoming) {
            if (owners.containsKey(id)) {
                ownerIds.add(owners.get(id));
                if (rules.rule(id.type()).unique()) {
                    linkingOwners.add(owners.get(id));
                }
            }
        }
        if (ownerIds.isEmpty()) {
            return new Resolution.Created(newProfileId.get(), withinLimits(Set.of(), incoming, new ArrayList<>(), null));
        }
        List<Resolution.Refusal> refusals = new ArrayList<>();
        if (linkingOwners.isEmpty()) {
            // Only shared identifiers are known: the event goes to the strongest one's profile, no merge.
            linkingOwners.add(ownerOfHighestPriority(incoming, owners, profiles, ownerIds).id());
        }
        for (Identifier id : incoming) {
            String owner = owners.get(id);
            if (owner != null && !linkingOwners.contains(owner) && !rules.rule(id.type()).unique()) {
                refusals.add(new Resolution.Refusal(linkingOwners.iterator().next(), owner, id,
                        id.type() + " is not unique (shared values never merge profiles)"));
            }
        }
        if (linkingOwners.size() == 1) {
            return attachOrSplit(profiles.get(linkingOwners.iterator().next()), incoming, owners, refusals);
        }
        List<KnownProfile> linked = linkingOwners.stream().map(profiles::get)
                .sorted(Comparator.comparing(KnownProfile::createdAt).thenComparing(KnownProfile::id))
                .toList();
        Set<Identifier> union = new HashSet<>();
        linked.forEach(p -> union.addAll(p.identifiers()));
        Identifier breaking = firstBreakingLimit(union);
        String keptApart = keptApart(linked);
        if (breaking == null && keptApart == null) {
            KnownProfile survivor = linked.get(0);
            List<String> absorbed = linked.subList(1, linked.size()).stream().map(KnownProfile::id).toList();
            Set<Identifier> held = new HashSet<>(union);
            List<Identifier> unowned = incoming.stream().filter(id -> !owners.containsKey(id)).toList();
            List<Identifier> attachable = withinLimits(held, unowned, refusals, survivor.id());
            return new Resolution.Merged(survivor.id(), absorbed, attachable, "shared identifiers of "
                    + describeShared(incoming, owners), refusals);
        }
        KnownProfile target = ownerOfHighestPriority(incoming, owners, profiles, linkingOwners);
        for (KnownProfile other : linked) {
            if (!other.id().equals(target.id())) {
                Identifier link = breaking != null ? breaking : incoming.stream()
                        .filter(id -> other.id().equals(owners.get(id))).findFirst().orElseThrow();
                refusals.add(new Resolution.Refusal(target.id(), other.id(), link, breaking != null
                        ? "merging would give the profile more than " + rules.rule(breaking.type()).limit()
                                + " identifier(s) of type " + breaking.type()
                        : keptApart));
            }
        }
        return attachOrSplit(target, incoming, owners, refusals);
    }

    /** Why two of the profiles may not merge because an operator unmerged them, or null. */
    private static String keptApart(List<KnownProfile> linked) {
        for (KnownProfile p : linked) {
            for (KnownProfile q : linked) {
                if (p.keptApartFrom().contains(q.id())) {
                    return "profiles " + p.id() + " and " + q.id() + " were unmerged and are kept apart";
                }
            }
        }
        return null;
    }

    /**
     * The event's unowned identifiers join the profile, within limits; but an unowned login identifier on a
     * profile that holds another value of its type means someone else signed in there: the event and its
     * unowned identifiers start a new profile, and the profile it came through keeps its own.
     */
    private Resolution attachOrSplit(KnownProfile profile, List<Identifier> incoming, Map<Identifier, String> owners,
                                     List<Resolution.Refusal> refusals) {
        for (Identifier id : incoming) {
            if (!owners.containsKey(id) && rules.rule(id.type()).login() && profile.identifiers().stream()
                    .anyMatch(held -> held.type().equals(id.type()))) {
                List<Identifier> unowned = incoming.stream().filter(i -> !owners.containsKey(i)).toList();
                String created = newProfileId.get();
                refusals.add(new Resolution.Refusal(profile.id(), created, id, "profile already holds another "
                        + id.type() + " (a login id): a new profile was started for this one"));
                return new Resolution.Created(created, withinLimits(Set.of(), unowned, new ArrayList<>(), null), refusals);
            }
        }
        Resolution.Attached attached = attach(profile, incoming, owners);
        refusals.addAll(attached.refusals());
        return new Resolution.Attached(profile.id(), attached.newIdentifiers(), refusals);
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
                                                Map<String, KnownProfile> profiles, Set<String> among) {
        return incoming.stream()
                .filter(id -> among.contains(owners.get(id)))
                .max(Comparator.comparingInt(id -> rules.rule(id.type()).priority()))
                .map(id -> profiles.get(owners.get(id)))
                .orElseThrow();
    }

    private static String describeShared(List<Identifier> incoming, Map<Identifier, String> owners) {
        return incoming.stream().filter(owners::containsKey).map(Identifier::type).distinct().sorted()
                .reduce((a, b) -> a + "+" + b).orElse("");
    }

    /**
     * The profile an event is first attributed to, which an unmerge reads: the origin of its highest-priority
     * identifier that already belonged to one of the profiles it now joins, else the profile itself.
     */
    public static String originOf(List<Identifier> identifiers, Map<Identifier, IdentityGraph.Ownership> owners,
                                  Set<String> joined, String profileId, IdentityRules rules) {
        return identifiers.stream()
                .filter(id -> owners.containsKey(id) && joined.contains(owners.get(id).profileId()))
                .max(Comparator.comparingInt(id -> rules.rule(id.type()).priority()))
                .map(id -> owners.get(id).origin())
                .orElse(profileId);
    }
}
