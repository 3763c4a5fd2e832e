package org.openaudience.criteria;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounds on a definition's size, checked on every save (drafts too) and at activation, so that no definition is too
 * big to store, compile or edit: the SQL of one audience stays a few hundred joins at most. Text limits follow the
 * Events API's (a value longer than any stored one could never match).
 */
public final class DefinitionLimits {

    public static final int MAX_CRITERIA = 50;
    /** Inputs a definition may name (none: all inputs of the workspace). */
    public static final int MAX_INPUTS = 100;
    /** Groups inside groups below the root: (A Or (B And (C Exclude D))) is three levels. */
    public static final int MAX_GROUP_DEPTH = 3;
    public static final int MAX_LIST_VALUES = 500;
    public static final int MAX_CONDITIONS = 20;
    /** As the Events API's attribute values. */
    public static final int MAX_VALUE_LENGTH = 4_096;
    /** As the Events API's attribute names. */
    public static final int MAX_ATTRIBUTE_LENGTH = 256;
    /** As the Events API's event names. */
    public static final int MAX_NAME_LENGTH = 255;
    /** As the Events API's custom event types. */
    public static final int MAX_CUSTOM_TYPE_LENGTH = 30;

    private final List<Problem> problems = new ArrayList<>();
    private int criteria;

    private DefinitionLimits() {
    }

    /** The limits this definition exceeds, one problem per place, located like the validator's. */
    public static List<Problem> check(Definition definition) {
        DefinitionLimits limits = new DefinitionLimits();
        limits.group(definition.root(), "", 0);
        if (limits.criteria > MAX_CRITERIA) {
            limits.problems.add(0, new Problem("", "criteria", "At most " + MAX_CRITERIA
                    + " criteria per audience; this one has " + limits.criteria + "."));
        }
        if (definition.inputIds().size() > MAX_INPUTS) {
            limits.problems.add(0, new Problem("", "inputs", "At most " + MAX_INPUTS + " inputs per audience (none"
                    + " means all inputs); this one names " + definition.inputIds().size() + "."));
        }
        return List.copyOf(limits.problems);
    }

    private void group(Group group, String prefix, int depth) {
        for (int i = 0; i < group.items().size(); i++) {
            Node node = group.items().get(i).node();
            String path = prefix + (i + 1);
            if (node instanceof Group inner) {
                if (depth + 1 > MAX_GROUP_DEPTH) {
                    problems.add(new Problem(path, "group", "Groups nest at most " + MAX_GROUP_DEPTH
                            + " levels deep."));
                } else {
                    group(inner, path + ".", depth + 1);
                }
                continue;
            }
            criteria++;
            if (node instanceof EventCriterion event) {
                length(event.name(), MAX_NAME_LENGTH, path, "name", "An event name");
                length(event.customEventType(), MAX_CUSTOM_TYPE_LENGTH, path, "customEventType",
                        "A custom event type");
                if (event.conditions().size() > MAX_CONDITIONS) {
                    problems.add(new Problem(path, "conditions", "At most " + MAX_CONDITIONS
                            + " attribute conditions per criterion."));
                }
                for (int c = 0; c < Math.min(event.conditions().size(), MAX_CONDITIONS); c++) {
                    condition(event.conditions().get(c), path, "conditions[" + c + "]");
                }
            } else if (node instanceof UserCriterion user) {
                condition(user.condition(), path, "condition");
            }
        }
    }

    private void condition(Condition condition, String path, String field) {
        length(condition.attribute(), MAX_ATTRIBUTE_LENGTH, path, field + ".attribute", "An attribute name");
        if (condition.values().size() > MAX_LIST_VALUES) {
            problems.add(new Problem(path, field + ".values", "At most " + MAX_LIST_VALUES + " values; this list has "
                    + condition.values().size() + "."));
            return;
        }
        for (String value : condition.values()) {
            if (length(value, MAX_VALUE_LENGTH, path, field + ".values", "A value")) {
                return;
            }
        }
    }

    /** Lengths in characters (code points), as MariaDB and the Events API count them. */
    private boolean length(String text, int max, String path, String field, String what) {
        if (text == null) {
            return false;
        }
        int length = text.codePointCount(0, text.length());
        if (length > max) {
            problems.add(new Problem(path, field, what + " has at most " + String.format(java.util.Locale.ROOT, "%,d", max)
                    + " characters; this one has " + String.format(java.util.Locale.ROOT, "%,d", length) + "."));
            return true;
        }
        return false;
    }
}
