package io.satsuma.segment.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph of a workspace's segments ({@code {"segment": id}} references): linking
 * references to the conditions they name, finding the segments a condition references, and refusing
 * cycles.
 */
public final class SegmentGraph {
    private SegmentGraph() {
    }

    /** Segment ids referenced anywhere in the condition. */
    public static Set<String> references(Condition condition) {
        Set<String> ids = new LinkedHashSet<>();
        collect(condition, ids);
        return ids;
    }

    /**
     * The cycle that {@code segmentId} with the given references would close, as a path
     * ({@code [a, b, a]}), if any; {@code others} are the references of the workspace's other segments.
     */
    public static Optional<List<String>> cycle(String segmentId, Set<String> references, Map<String, Set<String>> others) {
        Map<String, Set<String>> graph = new HashMap<>(others);
        graph.put(segmentId, references);
        List<String> path = new ArrayList<>();
        path.add(segmentId);
        return dfs(segmentId, segmentId, graph, path, new LinkedHashSet<>());
    }

    /**
     * The segments whose result can change when {@code segmentId}'s definition changes: itself, every
     * segment that references an affected one, and every segment of an affected one's exclusion group.
     */
    public static List<Segment> affectedBy(String segmentId, List<Segment> segments) {
        Set<String> affected = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        affected.add(segmentId);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Segment s : segments) {
                if (affected.contains(s.id()) && s.exclusionGroup() != null) {
                    grew |= groups.add(s.exclusionGroup());
                }
                boolean dependent = references(s.condition()).stream().anyMatch(affected::contains)
                        || (s.exclusionGroup() != null && groups.contains(s.exclusionGroup()));
                if (dependent && affected.add(s.id())) {
                    grew = true;
                }
            }
        }
        return segments.stream().filter(s -> affected.contains(s.id())).toList();
    }

    /** The segments with their references resolved to the referenced conditions (dependencies first). */
    public static List<Segment> link(List<Segment> segments) {
        return link(segments, null);
    }

    /**
     * The segments with their references resolved (dependencies first) and their predicted traits bound to the
     * workspace's current models (null: none fitted yet).
     */
    public static List<Segment> link(List<Segment> segments, PredictiveModels models) {
        Map<String, Segment> byId = new HashMap<>();
        segments.forEach(s -> byId.put(s.id(), s));
        Map<String, Condition> linked = new HashMap<>();
        List<Segment> ordered = new ArrayList<>();
        for (Segment segment : segments) {
            resolve(segment.id(), byId, linked, new LinkedHashSet<>(), ordered, models);
        }
        return ordered;
    }

    private static Condition resolve(String id, Map<String, Segment> byId, Map<String, Condition> linked,
                                     Set<String> visiting, List<Segment> ordered, PredictiveModels models) {
        if (linked.containsKey(id)) {
            return linked.get(id);
        }
        Segment segment = byId.get(id);
        if (segment == null || segment.condition() == null || !visiting.add(id)) {
            return null; // unknown, invalid, or a cycle: the reference stays unlinked and never holds
        }
        Condition condition = relink(segment.condition(), byId, linked, visiting, ordered, models);
        visiting.remove(id);
        linked.put(id, condition);
        ordered.add(segment.withCondition(condition));
        return condition;
    }

    private static Condition relink(Condition c, Map<String, Segment> byId, Map<String, Condition> linked,
                                    Set<String> visiting, List<Segment> ordered, PredictiveModels models) {
        if (c instanceof Condition.All all) {
            return new Condition.All(all.conditions().stream().map(x -> relink(x, byId, linked, visiting, ordered, models)).toList());
        }
        if (c instanceof Condition.Any any) {
            return new Condition.Any(any.conditions().stream().map(x -> relink(x, byId, linked, visiting, ordered, models)).toList());
        }
        if (c instanceof Condition.Not not) {
            return new Condition.Not(relink(not.condition(), byId, linked, visiting, ordered, models));
        }
        if (c instanceof Condition.SegmentReference ref) {
            return new Condition.SegmentReference(ref.segmentId(), resolve(ref.segmentId(), byId, linked, visiting, ordered, models));
        }
        if (c instanceof Condition.Predicted predicted) {
            return predicted.with(models);
        }
        return c;
    }

    /** Whether the condition reads a trait of the fitted models (so a new fit can change its members). */
    public static boolean readsModels(Condition c) {
        if (c instanceof Condition.All all) {
            return all.conditions().stream().anyMatch(SegmentGraph::readsModels);
        }
        if (c instanceof Condition.Any any) {
            return any.conditions().stream().anyMatch(SegmentGraph::readsModels);
        }
        if (c instanceof Condition.Not not) {
            return readsModels(not.condition());
        }
        if (c instanceof Condition.SegmentReference ref) {
            return ref.target() != null && readsModels(ref.target());
        }
        return c instanceof Condition.Predicted predicted && predicted.what().metric().fromOrders();
    }

    private static void collect(Condition c, Set<String> into) {
        if (c instanceof Condition.All all) {
            all.conditions().forEach(x -> collect(x, into));
        } else if (c instanceof Condition.Any any) {
            any.conditions().forEach(x -> collect(x, into));
        } else if (c instanceof Condition.Not not) {
            collect(not.condition(), into);
        } else if (c instanceof Condition.SegmentReference ref) {
            into.add(ref.segmentId());
        }
    }

    private static Optional<List<String>> dfs(String start, String node, Map<String, Set<String>> graph, List<String> path,
                                              Set<String> seen) {
        for (String next : graph.getOrDefault(node, Set.of())) {
            path.add(next);
            if (next.equals(start)) {
                return Optional.of(List.copyOf(path));
            }
            if (seen.add(next)) {
                Optional<List<String>> found = dfs(start, next, graph, path, seen);
                if (found.isPresent()) {
                    return found;
                }
            }
            path.remove(path.size() - 1);
        }
        return Optional.empty();
    }
}
