package org.openaudience.criteria;

import java.util.List;

/**
 * Users with a number of matching events in a time window. All conditions must hold for the same event.
 *
 * @param name            event name / screen name / product action; null when the kind implies it
 * @param customEventType only custom events of this type, or null for any
 */
public record EventCriterion(EventKind kind, String name, String customEventType, List<Condition> conditions,
                             Frequency frequency, Window window) implements Node {

    public EventCriterion {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        frequency = frequency == null ? Frequency.ANY : frequency;
        window = window == null ? Window.DEFAULT : window;
    }

    /** The stored event key this criterion counts. */
    public String eventKey() {
        return kind.impliedKey().orElse(name);
    }

    public static EventCriterion event(String name, Condition... conditions) {
        return new EventCriterion(EventKind.EVENT, name, null, List.of(conditions), null, null);
    }
}
