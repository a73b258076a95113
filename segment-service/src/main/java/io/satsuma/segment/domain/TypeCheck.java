package io.satsuma.segment.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a condition against what the workspace has seen: an unknown event or trait is a warning (it
 * may simply not have happened yet); a numeric aggregate over a property only ever seen as text, or an
 * ordering or text operator on a trait only ever seen as a boolean, is an error.
 */
public final class TypeCheck {
    private TypeCheck() {
    }

    /** Errors and warnings, each with the JSON pointer of its node (relative to the condition). */
    public record Findings(List<ConditionError> errors, List<ConditionError> warnings) {
    }

    /** A node to check, with where it is. */
    public record Located(String pointer, Condition condition) {
    }

    public static Findings check(List<Located> nodes, Map<String, Map<String, Set<String>>> events,
                                 Map<String, Set<String>> traits) {
        List<ConditionError> errors = new ArrayList<>();
        List<ConditionError> warnings = new ArrayList<>();
        for (Located node : nodes) {
            if (node.condition() instanceof Condition.EventAggregate a) {
                Map<String, Set<String>> properties = events.get(a.event());
                if (properties == null) {
                    warnings.add(new ConditionError(node.pointer() + "/event", "no '" + a.event() + "' event has been seen in this workspace yet"));
                    continue;
                }
                boolean numeric = a.aggregate() == Condition.Aggregate.SUM || a.aggregate() == Condition.Aggregate.AVG
                        || a.aggregate() == Condition.Aggregate.MIN || a.aggregate() == Condition.Aggregate.MAX;
                if (a.property() != null && !a.aggregate().isOccurrence() && a.aggregate() != Condition.Aggregate.COUNT) {
                    Set<String> types = properties.get(a.property());
                    if (types == null) {
                        warnings.add(new ConditionError(node.pointer() + "/property", "'" + a.event() + "' events have not carried '"
                                + a.property() + "' yet"));
                    } else if (numeric && !types.contains("number")) {
                        errors.add(new ConditionError(node.pointer() + "/property", "'" + a.aggregate().json() + "' needs a number, but '"
                                + a.property() + "' of '" + a.event() + "' has only been seen as " + String.join(", ", types)));
                    }
                }
            } else if (node.condition() instanceof Condition.TraitComparison t) {
                if (t.trait().startsWith(ProfileFacts.PROFILE_ATTRIBUTES + ".")) {
                    continue;
                }
                Set<String> types = traits.get(t.trait());
                if (types == null) {
                    warnings.add(new ConditionError(node.pointer() + "/trait", "no profile has had trait '" + t.trait() + "' yet"));
                } else if (types.equals(Set.of("boolean")) && t.op() != null
                        && (t.op().isOrdering() || t.op().isTextual() || t.op().isRelativeDate())) {
                    errors.add(new ConditionError(node.pointer() + "/op", "'" + t.op().json() + "' does not apply to trait '"
                            + t.trait() + "', which has only been seen as a boolean"));
                }
            }
        }
        return new Findings(errors, warnings);
    }

    /** Every node of the tree with its JSON pointer (matching the parser's). */
    public static List<Located> locate(Condition condition) {
        List<Located> nodes = new ArrayList<>();
        walk(condition, "", nodes);
        return nodes;
    }

    /** Event and trait names the condition uses. */
    public static Set<String> eventNames(List<Located> nodes) {
        Set<String> names = new LinkedHashSet<>();
        nodes.forEach(n -> {
            if (n.condition() instanceof Condition.EventAggregate a) {
                names.add(a.event());
            }
        });
        return names;
    }

    public static Set<String> traitNames(List<Located> nodes) {
        Set<String> names = new LinkedHashSet<>();
        nodes.forEach(n -> {
            if (n.condition() instanceof Condition.TraitComparison t) {
                names.add(t.trait());
            }
        });
        return names;
    }

    private static void walk(Condition c, String pointer, List<Located> into) {
        into.add(new Located(pointer, c));
        if (c instanceof Condition.All all) {
            for (int i = 0; i < all.conditions().size(); i++) {
                walk(all.conditions().get(i), pointer + "/all/" + i, into);
            }
        } else if (c instanceof Condition.Any any) {
            for (int i = 0; i < any.conditions().size(); i++) {
                walk(any.conditions().get(i), pointer + "/any/" + i, into);
            }
        } else if (c instanceof Condition.Not not) {
            walk(not.condition(), pointer + "/not", into);
        }
    }
}
