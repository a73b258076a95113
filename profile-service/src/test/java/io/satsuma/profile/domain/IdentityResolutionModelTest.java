package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Identity resolution against a reference model: a union-find over identifiers with per-type limits and
 * priorities, written from the rules in the README rather than from the resolver. Random streams of
 * events (a few people sharing devices, emails reused, user ids colliding) are applied to both; after
 * every event the two must agree on which identifiers belong together, on which profile survives a merge
 * (the oldest), and on the limits (no profile ever holds two user ids or six emails).
 */
class IdentityResolutionModelTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final IdentityRules DEFAULTS = IdentityRules.defaults();
    /** The same limits, but a user id is no login id and an email is shared (a household's). */
    private static final IdentityRules SHARED_EMAIL = new IdentityRules(Map.of(
            IdentityRules.USER_ID, new IdentityRules.TypeRule(1, 300, true, false),
            IdentityRules.EMAIL, new IdentityRules.TypeRule(5, 200, false, false),
            IdentityRules.ANONYMOUS_ID, new IdentityRules.TypeRule(Integer.MAX_VALUE, 100, true, false)),
            DEFAULTS.blockedValues());

    @Test
    void resolverAndUnionFindModelAgreeOnRandomEventStreams() {
        agreeOnRandomStreams(DEFAULTS);
    }

    @Test
    void resolverAndModelAgreeWhenEmailsAreSharedAndUserIdsAreNoLoginIds() {
        agreeOnRandomStreams(SHARED_EMAIL);
    }

    private static void agreeOnRandomStreams(IdentityRules rules) {
        Random random = new Random(2026);
        int merges = 0;
        int refusals = 0;
        for (int run = 0; run < 300; run++) {
            AtomicInteger next = new AtomicInteger();
            IdentityResolver resolver = new IdentityResolver(rules, () -> String.format("p%05d", next.incrementAndGet()));
            Graph graph = new Graph();
            UnionFind model = new UnionFind(rules);
            for (int step = 0; step < 40; step++) {
                List<Identifier> event = randomEvent(random);
                Resolution resolution = resolver.resolve(event, graph.ownersOf(event), graph.profilesOwning(event));
                graph.apply(resolution, T0.plusSeconds(step));
                String modelRoot = model.apply(event, step);

                merges += resolution instanceof Resolution.Merged ? 1 : 0;
                refusals += resolution.refusals().isEmpty() ? 0 : 1;
                assertThat(graph.partition()).as("run %d step %d: %s", run, step, event).isEqualTo(model.partition());
                assertThat(graph.identifiersOf(resolution.profileId())).as("the event's profile, run %d step %d", run, step)
                        .isEqualTo(model.members(modelRoot));
                // The surviving profile of every merge is the oldest: each profile is as old as its model set.
                graph.profiles.values().forEach(p -> assertThat(p.createdAt())
                        .isEqualTo(T0.plusSeconds(model.createdAt(p.identifiers().iterator().next()))));
                graph.profiles.values().forEach(p -> {
                    assertThat(count(p.identifiers(), IdentityRules.USER_ID)).isLessThanOrEqualTo(1);
                    assertThat(count(p.identifiers(), IdentityRules.EMAIL)).isLessThanOrEqualTo(5);
                });
            }
        }
        assertThat(merges).as("merges exercised").isGreaterThan(300);
        assertThat(refusals).as("refused merges exercised").isGreaterThan(100);
    }

    /** Events of a small world: 4 user ids, 6 emails, 12 devices, so identifiers keep meeting. */
    private static List<Identifier> randomEvent(Random random) {
        Set<Identifier> ids = new LinkedHashSet<>();
        if (random.nextInt(3) > 0) {
            ids.add(new Identifier(IdentityRules.ANONYMOUS_ID, "a" + random.nextInt(12)));
        }
        if (random.nextInt(3) == 0) {
            ids.add(new Identifier(IdentityRules.USER_ID, "u" + random.nextInt(4)));
        }
        if (random.nextInt(4) == 0) {
            ids.add(new Identifier(IdentityRules.EMAIL, "e" + random.nextInt(6) + "@example.com"));
        }
        if (ids.isEmpty()) {
            ids.add(new Identifier(IdentityRules.ANONYMOUS_ID, "a" + random.nextInt(12)));
        }
        return List.copyOf(ids);
    }

    private static long count(Set<Identifier> ids, String type) {
        return ids.stream().filter(id -> id.type().equals(type)).count();
    }

    /** What profile-service's store does with a resolution: the identity graph, kept in memory. */
    private static final class Graph {
        final Map<String, KnownProfile> profiles = new HashMap<>();
        final Map<Identifier, String> owners = new HashMap<>();

        Map<Identifier, String> ownersOf(List<Identifier> ids) {
            Map<Identifier, String> found = new HashMap<>();
            ids.stream().filter(owners::containsKey).forEach(id -> found.put(id, owners.get(id)));
            return found;
        }

        Map<String, KnownProfile> profilesOwning(List<Identifier> ids) {
            Map<String, KnownProfile> found = new HashMap<>();
            ownersOf(ids).values().forEach(p -> found.put(p, profiles.get(p)));
            return found;
        }

        void apply(Resolution resolution, Instant at) {
            String id = resolution.profileId();
            if (resolution instanceof Resolution.Created) {
                profiles.put(id, new KnownProfile(id, at, new HashSet<>()));
            }
            if (resolution instanceof Resolution.Merged merged) {
                for (String absorbed : merged.absorbed()) {
                    for (Identifier moved : profiles.remove(absorbed).identifiers()) {
                        owners.put(moved, id);
                        profiles.get(id).identifiers().add(moved);
                    }
                }
            }
            for (Identifier added : resolution.newIdentifiers()) {
                assertThat(owners).as("an identifier is never given to two profiles").doesNotContainKey(added);
                owners.put(added, id);
                profiles.get(id).identifiers().add(added);
            }
        }

        Set<Identifier> identifiersOf(String profileId) {
            return Set.copyOf(profiles.get(profileId).identifiers());
        }

        Set<Set<Identifier>> partition() {
            return profiles.values().stream().map(p -> Set.copyOf(p.identifiers())).collect(Collectors.toSet());
        }
    }

    /**
     * The reference: union-find over identifiers. The sets an event links are those of its known identifiers
     * of unique types (if it has none, the set of its highest-priority known identifier). If the union of
     * those sets stays within every type's limit they are united (the oldest set's root survives), else the
     * event joins the set of its highest-priority identifier among them (first one on ties). Unless they
     * were united, an unknown identifier of a login type meeting a set that holds that type starts a new
     * set. The event's unknown identifiers then join its set, each only while its type's limit allows.
     */
    private static final class UnionFind {
        private final IdentityRules rules;
        private final Map<Identifier, Identifier> parent = new HashMap<>();
        private final Map<Identifier, Integer> age = new HashMap<>();

        UnionFind(IdentityRules rules) {
            this.rules = rules;
        }

        /** The step at which the set was created, so the oldest set can be told. */
        int createdAt(Identifier id) {
            return age.get(find(id));
        }

        String apply(List<Identifier> event, int step) {
            List<Identifier> known = event.stream().filter(parent::containsKey).toList();
            List<Identifier> roots = new ArrayList<>(new LinkedHashSet<>(known.stream()
                    .filter(id -> rules.rule(id.type()).unique()).map(this::find).toList()));
            if (roots.isEmpty() && !known.isEmpty()) {
                roots.add(find(strongest(known)));
            }
            Identifier root;
            boolean united = false;
            if (roots.isEmpty()) {
                root = null;
            } else if (roots.size() == 1) {
                root = roots.get(0);
            } else if (withinLimits(roots.stream().flatMap(r -> members(r).stream()).toList())) {
                root = roots.stream().min((a, b) -> Integer.compare(age.get(a), age.get(b))).orElseThrow();
                for (Identifier other : roots) {
                    parent.put(other, root);
                }
                united = true;
            } else {
                root = find(strongest(known.stream().filter(id -> roots.contains(find(id))).toList()));
            }
            if (root != null && !united) {
                Set<Identifier> held = members(root);
                boolean someoneElse = event.stream().anyMatch(id -> !parent.containsKey(id) && rules.rule(id.type()).login()
                        && count(held, id.type()) > 0);
                if (someoneElse) {
                    root = null;
                }
            }
            for (Identifier id : event.stream().filter(id -> !known.contains(id)).toList()) {
                if (root == null) {
                    parent.put(id, id);
                    age.put(id, step);
                    root = id;
                } else if (count(members(root), id.type()) < rules.rule(id.type()).limit()) {
                    parent.put(id, root);
                }
            }
            return root == null ? null : root.toString();
        }

        private Identifier strongest(List<Identifier> ids) {
            Identifier best = null;
            for (Identifier id : ids) {
                if (best == null || rules.rule(id.type()).priority() > rules.rule(best.type()).priority()) {
                    best = id;
                }
            }
            return best;
        }

        Identifier find(Identifier id) {
            Identifier p = parent.get(id);
            if (p.equals(id)) {
                return id;
            }
            Identifier root = find(p);
            parent.put(id, root);
            return root;
        }

        Set<Identifier> members(String root) {
            return parent.keySet().stream().filter(id -> find(id).toString().equals(root)).collect(Collectors.toSet());
        }

        Set<Identifier> members(Identifier root) {
            return parent.keySet().stream().filter(id -> find(id).equals(root)).collect(Collectors.toSet());
        }

        Set<Set<Identifier>> partition() {
            Map<Identifier, Set<Identifier>> sets = new HashMap<>();
            parent.keySet().forEach(id -> sets.computeIfAbsent(find(id), r -> new HashSet<>()).add(id));
            return sets.values().stream().map(Set::copyOf).collect(Collectors.toSet());
        }

        private boolean withinLimits(List<Identifier> union) {
            return union.stream().collect(Collectors.groupingBy(Identifier::type, Collectors.counting())).entrySet().stream()
                    .allMatch(e -> e.getValue() <= rules.rule(e.getKey()).limit());
        }

        private static long count(Set<Identifier> ids, String type) {
            return ids.stream().filter(id -> id.type().equals(type)).count();
        }
    }
}
