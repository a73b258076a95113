package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits a batch of a workspace's events into those identity resolution can decide in bulk and those it
 * must decide one at a time. Pure: the caller supplies each event's identifiers and the current owners.
 *
 * <p>Decided in bulk, because resolution cannot do anything but attribute them:
 * <ul>
 *   <li><b>known</b>: every identifier already belongs to the same profile (nothing to attach or merge);</li>
 *   <li><b>new</b>: no identifier belongs to anyone, and the identifiers appear in no other event of the
 *       batch except events with exactly the same set: one new profile holds them and gets those events.</li>
 * </ul>
 * Everything else — identify and alias calls (they set traits or link identifiers, in arrival order), events
 * that would attach an identifier or link profiles — is decided one at a time, as a single event would be.
 */
public final class BatchPlan {

    /** One event of the batch as the plan needs it: its position, type and identifiers. */
    public record Item(int position, String type, List<Identifier> identifiers) {
    }

    /**
     * @param known    profile id → positions of its events, in arrival order
     * @param created  identifier set of a new profile → positions of its events, in arrival order
     * @param oneByOne positions to resolve one at a time, in arrival order
     */
    public record Split(Map<String, List<Integer>> known, Map<Set<Identifier>, List<Integer>> created,
                        List<Integer> oneByOne) {
    }

    private BatchPlan() {
    }

    public static Split split(List<Item> items, Map<Identifier, String> owners) {
        Map<String, List<Integer>> known = new LinkedHashMap<>();
        Map<Set<Identifier>, List<Integer>> created = new LinkedHashMap<>();
        List<Integer> oneByOne = new ArrayList<>();
        // Which identifier sets each unowned identifier appears in across the batch.
        Map<Identifier, Set<Set<Identifier>>> setsOf = new HashMap<>();
        for (Item item : items) {
            Set<Identifier> ids = Set.copyOf(item.identifiers());
            item.identifiers().forEach(id -> setsOf.computeIfAbsent(id, x -> new HashSet<>()).add(ids));
        }
        for (Item item : items) {
            if (!"track".equals(item.type()) && !"page".equals(item.type()) && !"screen".equals(item.type())) {
                oneByOne.add(item.position());
                continue;
            }
            Set<String> profiles = new TreeSet<>();
            int owned = 0;
            for (Identifier id : item.identifiers()) {
                if (owners.containsKey(id)) {
                    profiles.add(owners.get(id));
                    owned++;
                }
            }
            Set<Identifier> ids = Set.copyOf(item.identifiers());
            if (owned == item.identifiers().size() && profiles.size() == 1) {
                known.computeIfAbsent(profiles.iterator().next(), p -> new ArrayList<>()).add(item.position());
            } else if (owned == 0 && item.identifiers().stream().allMatch(id -> setsOf.get(id).equals(Set.of(ids)))) {
                created.computeIfAbsent(ids, s -> new ArrayList<>()).add(item.position());
            } else {
                oneByOne.add(item.position());
            }
        }
        return new Split(known, created, oneByOne);
    }
}
