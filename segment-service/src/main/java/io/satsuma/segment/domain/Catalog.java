package io.satsuma.segment.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** The event names, properties and traits a workspace has seen, with the JSON types of their values. */
public interface Catalog {
    /** Records the property types of an event ({@code ""} stands for the event itself). */
    void recordEvent(String workspace, String eventName, Map<String, Object> properties);

    void recordTraits(String workspace, Map<String, Object> traits);

    /** Property → types seen, for each of the given events; an event never seen is absent. */
    Map<String, Map<String, Set<String>>> events(String workspace, Collection<String> eventNames);

    /** Trait → types seen, for the given traits; a trait never seen is absent. */
    Map<String, Set<String>> traits(String workspace, Collection<String> traitNames);

    /** The JSON type of a value: number, string, boolean, object, array. */
    static String typeOf(Object value) {
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        if (value instanceof Collection<?>) {
            return "array";
        }
        return "string";
    }
}
