package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Splits a batch of a workspace's events into those identity resolution can decide in bulk and those it
 * must decide one at a time. Pure: the caller supplies each event's identifiers, the current owners and what the
 * profiles that might gain identifiers already hold.
 *
 * <p>Decided in bulk, because resolution cannot do anything but attribute them:
 * <ul>
 *   <li><b>known</b>: every identifier already belongs to the same profile (nothing to attach or merge);</li>
 *   <li><b>attached</b>: the owned identifiers all belong to one profile, and the others appear in no other event
 *       of the batch but those with exactly the same set; applied to that profile in arrival order, none breaks a
 *       type's limit nor brings a second login identifier (resolution would refuse or split). They join it;</li>
 *   <li><b>new</b>: no identifier belongs to anyone; with the other such events it shares identifiers with, in
 *       arrival order, each sharing one with those before it and within the limits: one new profile holds all
 *       their identifiers and gets those events.</li>
 * </ul>
 * Identify calls are decided in bulk too (the bulk path applies their traits in arrival order), unless their
 * profile or identifiers are touched by an event that goes one by one: those events are resolved first, so an
 * identify after them in the batch would set its traits out of order. Everything else — alias and group calls,
 * events that link profiles, that would be refused or split — is decided one at a time, as a single event would
 * be — which the caller does for all of them together, in arrival order ({@link ResolutionReplay}).
 */
public final class BatchPlan {

    /** One event of the batch as the plan needs it: its position, type and identifiers. */
    public record Item(int position, String type, List<Identifier> identifiers) {
    }

    /**
     * @param known    profile id → positions of its events, in arrival order (with those that attach identifiers)
     * @param attach   position → the identifiers it attaches to its profile (the first event of each attached set)
     * @param created  the identifiers of a new profile (in the order they join it) → positions of its events, in
     *                 arrival order
     * @param oneByOne positions to resolve one at a time, in arrival order
     */
    public record Split(Map<String, List<Integer>> known, Map<Integer, List<Identifier>> attach,
                        Map<Set<Identifier>, List<Integer>> created, List<Integer> oneByOne) {
    }

    private enum Kind { KNOWN, ATTACH, CREATED, ONE_BY_ONE }

    private record Decision(Kind kind, String profileId, List<Identifier> unowned) {
        static final Decision ONE_BY_ONE = new Decision(Kind.ONE_BY_ONE, null, List.of());
    }

    private BatchPlan() {
    }

    /**
     * When a profile created by a poll is created: the poll's instant plus the position of its first event in
     * microseconds (what PostgreSQL keeps), so that the poll's new profiles are as old as their arrival order says
     * (merges keep the oldest).
     */
    public static Instant createdAt(Instant pollInstant, int firstPosition) {
        return pollInstant.truncatedTo(ChronoUnit.MICROS).plus(firstPosition, ChronoUnit.MICROS);
    }

    /** The profiles that could gain identifiers in bulk: the caller locks them and reads what they hold. */
    public static Set<String> attachCandidates(List<Item> items, Map<Identifier, String> owners) {
        Set<String> candidates = new TreeSet<>();
        for (Item item : items) {
            Set<String> profiles = new HashSet<>();
            item.identifiers().stream().filter(owners::containsKey).forEach(id -> profiles.add(owners.get(id)));
            if (profiles.size() == 1 && !owners.keySet().containsAll(item.identifiers())) {
                candidates.add(profiles.iterator().next());
            }
        }
        return candidates;
    }

    /**
     * @param held  for each locked, active candidate of {@link #attachCandidates}, the identifiers it holds; a
     *              profile missing here gains none in bulk
     * @param rules the workspace's identity rules (limits, login types)
     */
    public static Split split(List<Item> items, Map<Identifier, String> owners, Map<String, Set<Identifier>> held,
                              IdentityRules rules) {
        // Which identifier sets each identifier appears in across the batch.
        Map<Identifier, Set<Set<Identifier>>> setsOf = new HashMap<>();
        for (Item item : items) {
            Set<Identifier> ids = Set.copyOf(item.identifiers());
            item.identifiers().forEach(id -> setsOf.computeIfAbsent(id, x -> new HashSet<>()).add(ids));
        }
        Map<Integer, Decision> decisions = new LinkedHashMap<>();
        for (Item item : items) {
            decisions.put(item.position(), decide(item, owners, setsOf));
        }
        Map<Integer, Set<Identifier>> newPeople = newPeople(items, decisions, rules);
        refuseWhatResolutionWouldRefuse(items, decisions, held, rules);
        keepTraitsInArrivalOrder(items, owners, decisions);

        Map<String, List<Integer>> known = new LinkedHashMap<>();
        Map<Integer, List<Identifier>> attach = new LinkedHashMap<>();
        Map<Set<Identifier>, List<Integer>> created = new LinkedHashMap<>();
        List<Integer> oneByOne = new ArrayList<>();
        Set<Set<Identifier>> attachedSets = new HashSet<>();
        for (Item item : items) {
            Decision d = decisions.get(item.position());
            switch (d.kind()) {
                case KNOWN -> known.computeIfAbsent(d.profileId(), p -> new ArrayList<>()).add(item.position());
                case ATTACH -> {
                    known.computeIfAbsent(d.profileId(), p -> new ArrayList<>()).add(item.position());
                    if (attachedSets.add(Set.copyOf(item.identifiers()))) {
                        attach.put(item.position(), d.unowned());
                    }
                }
                case CREATED -> created.computeIfAbsent(newPeople.get(item.position()), s -> new ArrayList<>())
                        .add(item.position());
                default -> oneByOne.add(item.position());
            }
        }
        return new Split(known, attach, created, oneByOne);
    }

    private static Decision decide(Item item, Map<Identifier, String> owners, Map<Identifier, Set<Set<Identifier>>> setsOf) {
        String type = item.type();
        if (!"track".equals(type) && !"page".equals(type) && !"screen".equals(type) && !"identify".equals(type)) {
            return Decision.ONE_BY_ONE;
        }
        Set<String> profiles = new TreeSet<>();
        List<Identifier> unowned = new ArrayList<>();
        for (Identifier id : item.identifiers()) {
            if (owners.containsKey(id)) {
                profiles.add(owners.get(id));
            } else {
                unowned.add(id);
            }
        }
        Set<Identifier> ids = Set.copyOf(item.identifiers());
        boolean exclusive = unowned.stream().allMatch(id -> setsOf.get(id).equals(Set.of(ids)));
        if (profiles.size() == 1 && unowned.isEmpty()) {
            return new Decision(Kind.KNOWN, profiles.iterator().next(), List.of());
        }
        if (profiles.size() == 1 && exclusive) {
            return new Decision(Kind.ATTACH, profiles.iterator().next(), List.copyOf(unowned));
        }
        if (profiles.isEmpty()) {
            return new Decision(Kind.CREATED, null, List.of()); // confirmed or refused per component
        }
        return Decision.ONE_BY_ONE;
    }

    /**
     * Events whose identifiers nobody owns, grouped by the identifiers they share (a new person's identify and the
     * events that follow it by user id alone, say). Resolution would create a profile with the first and attach
     * the rest to it, provided each later event shares an identifier with those before it (else it would start a
     * second profile, merged later) and no attachment breaks a limit or brings a second login id. Such a group
     * becomes one new profile holding all its identifiers; any other group, and one with an event that goes one
     * by one, goes one by one.
     *
     * @return for each position of a new person's event, the identifiers of that person, in the order they join
     */
    private static Map<Integer, Set<Identifier>> newPeople(List<Item> items, Map<Integer, Decision> decisions,
                                                           IdentityRules rules) {
        Map<Identifier, Identifier> parent = new HashMap<>();
        for (Item item : items) {
            Identifier first = item.identifiers().get(0);
            item.identifiers().forEach(id -> union(parent, first, id));
        }
        Map<Identifier, List<Item>> groups = new LinkedHashMap<>();
        for (Item item : items) {
            groups.computeIfAbsent(root(parent, item.identifiers().get(0)), r -> new ArrayList<>()).add(item);
        }
        Map<Integer, Set<Identifier>> people = new HashMap<>();
        for (List<Item> group : groups.values()) {
            if (group.stream().anyMatch(i -> decisions.get(i.position()).kind() != Kind.CREATED)) {
                demote(group, decisions, d -> d.kind() == Kind.CREATED);
                continue;
            }
            Set<Identifier> person = new LinkedHashSet<>();
            boolean oneProfile = true;
            for (Item item : group) {
                boolean joins = person.isEmpty() || item.identifiers().stream().anyMatch(person::contains);
                if (!joins || !fits(person, item.identifiers(), rules)) {
                    oneProfile = false;
                    break;
                }
                person.addAll(item.identifiers());
            }
            if (oneProfile) {
                Set<Identifier> identifiers = Collections.unmodifiableSet(person);
                group.forEach(i -> people.put(i.position(), identifiers));
            } else {
                demote(group, decisions, d -> true);
            }
        }
        return people;
    }

    private static void union(Map<Identifier, Identifier> parent, Identifier a, Identifier b) {
        Identifier ra = root(parent, a);
        Identifier rb = root(parent, b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }

    private static Identifier root(Map<Identifier, Identifier> parent, Identifier id) {
        Identifier at = id;
        while (parent.containsKey(at) && !parent.get(at).equals(at)) {
            at = parent.get(at);
        }
        return at;
    }

    /**
     * Applies each profile's attachments in arrival order as resolution would; if one would be refused (a limit)
     * or split off (a second login identifier), or the profile's holdings are unknown, all its attaching events go
     * one by one.
     */
    private static void refuseWhatResolutionWouldRefuse(List<Item> items, Map<Integer, Decision> decisions,
                                                       Map<String, Set<Identifier>> held, IdentityRules rules) {
        Map<String, Set<Identifier>> holding = new HashMap<>();
        Set<String> refused = new HashSet<>();
        for (Item item : items) {
            Decision d = decisions.get(item.position());
            if (d.kind() != Kind.ATTACH || refused.contains(d.profileId())) {
                continue;
            }
            Set<Identifier> now = holding.computeIfAbsent(d.profileId(),
                    p -> held.containsKey(p) ? new HashSet<>(held.get(p)) : null);
            if (now == null || !fits(now, d.unowned(), rules)) {
                refused.add(d.profileId());
                continue;
            }
            now.addAll(d.unowned());
        }
        demote(items, decisions, d -> d.kind() == Kind.ATTACH && refused.contains(d.profileId()));
    }

    private static boolean fits(Set<Identifier> holding, List<Identifier> incoming, IdentityRules rules) {
        Map<String, Integer> counts = new HashMap<>();
        holding.forEach(id -> counts.merge(id.type(), 1, Integer::sum));
        for (Identifier id : incoming) {
            if (holding.contains(id)) {
                continue; // attached by an earlier event of the same set
            }
            int count = counts.getOrDefault(id.type(), 0);
            if ((rules.rule(id.type()).login() && count > 0) || count >= rules.rule(id.type()).limit()) {
                return false;
            }
            counts.put(id.type(), count + 1);
        }
        return true;
    }

    /**
     * Events that go one by one are resolved before the bulk. Whatever they touch — their owners' profiles, their
     * identifiers — must then not gain identifiers or traits in bulk, or the batch would apply them out of
     * arrival order: such identify calls and attaching events go one by one too (tracks and pages of a known
     * profile stay: their order does not matter).
     */
    private static void keepTraitsInArrivalOrder(List<Item> items, Map<Identifier, String> owners,
                                                 Map<Integer, Decision> decisions) {
        Set<String> touchedProfiles = new HashSet<>();
        Set<Identifier> touchedIds = new HashSet<>();
        for (Item item : items) {
            if (decisions.get(item.position()).kind() == Kind.ONE_BY_ONE) {
                touchedIds.addAll(item.identifiers());
                item.identifiers().stream().filter(owners::containsKey).forEach(id -> touchedProfiles.add(owners.get(id)));
            }
        }
        Set<String> demotedProfiles = new HashSet<>();
        for (Item item : items) {
            Decision d = decisions.get(item.position());
            boolean ordered = d.kind() == Kind.ATTACH || "identify".equals(item.type());
            boolean touched = item.identifiers().stream().anyMatch(touchedIds::contains)
                    || (d.profileId() != null && touchedProfiles.contains(d.profileId()));
            if (ordered && d.kind() != Kind.ONE_BY_ONE && touched) {
                if (d.profileId() != null) {
                    demotedProfiles.add(d.profileId());
                }
            }
        }
        // A profile's identify and attaching events go one by one together, so they stay in arrival order.
        demote(items, decisions, d -> d.profileId() != null && demotedProfiles.contains(d.profileId())
                && d.kind() == Kind.ATTACH);
        for (Item item : items) {
            Decision d = decisions.get(item.position());
            boolean touched = item.identifiers().stream().anyMatch(touchedIds::contains)
                    || (d.profileId() != null && demotedProfiles.contains(d.profileId()));
            if ("identify".equals(item.type()) && d.kind() != Kind.ONE_BY_ONE && touched) {
                decisions.put(item.position(), Decision.ONE_BY_ONE);
            }
        }
    }

    private static void demote(List<Item> items, Map<Integer, Decision> decisions,
                               Predicate<Decision> which) {
        for (Item item : items) {
            if (which.test(decisions.get(item.position()))) {
                decisions.put(item.position(), Decision.ONE_BY_ONE);
            }
        }
    }
}
