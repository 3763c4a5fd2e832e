package org.openaudience.criteria;

import java.util.ArrayList;
import java.util.List;

/**
 * What the shape of a definition lets the compiler do: which event criteria every member must satisfy, whether
 * profiles filter first, which group of alternatives can drive by its union, whether it needs profiles at all.
 */
final class DefinitionShape {

    private DefinitionShape() {
    }

    /**
     * The event criteria every member must satisfy with at least one event: items of the root group that are the
     * first item or joined by And, with no Or after them at the root.
     */
    static List<EventCriterion> requiredEvents(Group root) {
        List<EventCriterion> required = new ArrayList<>();
        for (int i = 0; i < root.items().size(); i++) {
            Group.Item item = root.items().get(i);
            if (i > 0 && item.connector() == Connector.OR) {
                required.clear();
            } else if ((i == 0 || item.connector() == Connector.AND)
                    && item.node() instanceof EventCriterion event && !event.frequency().test(0)) {
                required.add(event);
            }
        }
        return required;
    }

    /**
     * Whether members must also pass a Users, membership or group item at the root (And or Exclude, after the last
     * Or): then checking required events per remaining profile beats reading every matching event of the key
     * (measured on 1M profiles: "Paris viewers And Premium" 14.2 s as a derived table, 5.6 s as EXISTS; without
     * such a filter EXISTS costs a probe per profile: "Add to Cart Exclude Purchase" 1.3 s derived, 4.3 s EXISTS).
     */
    static boolean profilesFilterFirst(Group root) {
        boolean filter = false;
        for (int i = 0; i < root.items().size(); i++) {
            Group.Item item = root.items().get(i);
            if (i > 0 && item.connector() == Connector.OR) {
                filter = false;
            } else if (!(item.node() instanceof EventCriterion)) {
                filter = true;
            }
        }
        return filter;
    }

    /**
     * A group every member must satisfy (the first item of the root, or joined by And, with no Or after it at the
     * root) made only of event criteria joined by Or, none of which holds with zero events: every member is in
     * the union of their qualifying MPIDs (measured on 1M profiles, "(Paris viewers Or Search ≥ 3) And iOS
     * Exclude Free": 0.6 s driven by the union, 2.1 s checking each remaining profile).
     */
    static Group alternatives(Group root) {
        Group found = null;
        for (int i = 0; i < root.items().size(); i++) {
            Group.Item item = root.items().get(i);
            if (i > 0 && item.connector() == Connector.OR) {
                found = null;
            } else if (found == null && (i == 0 || item.connector() == Connector.AND)
                    && item.node() instanceof Group group && eventAlternatives(group)) {
                found = group;
            }
        }
        return found;
    }

    static boolean eventAlternatives(Group group) {
        if (group.items().isEmpty()) {
            return false;
        }
        for (int i = 0; i < group.items().size(); i++) {
            Group.Item item = group.items().get(i);
            if ((i > 0 && item.connector() != Connector.OR) || !(item.node() instanceof EventCriterion event)
                    || event.frequency().test(0)) {
                return false;
            }
        }
        return true;
    }

    /** "At least one matching event": a semi-join can stop at the first. */
    static boolean anyEvent(EventCriterion criterion) {
        Frequency frequency = criterion.frequency();
        return (frequency.comparison() == Frequency.Comparison.GREATER_THAN && frequency.count() == 0)
                || (frequency.comparison() == Frequency.Comparison.AT_LEAST && frequency.count() == 1);
    }
}
