package org.openaudience.criteria;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which attributes the database holds ready as typed, indexed columns (generated from the JSON the same way
 * {@link ConditionSql} reads it), so that conditions on them are answered from an index instead of the JSON of each
 * row. The compiler asks; whatever is not ready is read from the JSON as before, with the same result.
 */
@FunctionalInterface
public interface AttributeColumns {

    /** The JSON an attribute comes from. */
    enum Source {
        /** An event's attributes ({@code event.attributes}). */
        EVENT,
        /** A profile's user attributes ({@code profile.user_attributes}). */
        PROFILE
    }

    /** How an indexed column holds the value. */
    enum Kind {
        /** The scalar value as text folded by {@link TextRule}, its first {@link #TEXT_LENGTH} characters. */
        TEXT,
        /** The scalar value when it is a number under the rules of {@link ValueMatcher}, else NULL. */
        NUMBER
    }

    /** An attribute column that a definition would use. */
    record Column(Source source, String attribute, Kind kind) {
    }

    /** Characters a text column keeps; longer values are compared through the JSON where the prefix cannot tell. */
    int TEXT_LENGTH = 256;

    AttributeColumns NONE = column -> Optional.empty();

    /** The name of the index over an attribute column (its reader names it; see {@link AttributeColumnSql}). */
    static String indexOf(String columnName) {
        return "ix_" + columnName;
    }

    /** The name of the ready column holding {@code column}, if there is one. */
    Optional<String> ready(Column column);

    /**
     * The columns that would let {@code definition}'s attribute conditions be answered from indexes (value lengths
     * aside: a text value too long for the column is compared through the JSON).
     */
    static Set<Column> usefulFor(Definition definition) {
        Set<Column> columns = new LinkedHashSet<>();
        collect(definition.root(), columns);
        return columns;
    }

    private static void collect(Node node, Set<Column> columns) {
        if (node instanceof Group group) {
            group.items().forEach(item -> collect(item.node(), columns));
        } else if (node instanceof EventCriterion event) {
            event.kind().impliedTrueAttribute()
                    .ifPresent(attribute -> columns.add(new Column(Source.EVENT, attribute, Kind.TEXT)));
            event.conditions().forEach(condition -> kindFor(condition)
                    .ifPresent(kind -> columns.add(new Column(Source.EVENT, condition.attribute(), kind))));
        } else if (node instanceof UserCriterion user && user.field() == UserField.ATTRIBUTE) {
            kindFor(user.condition())
                    .ifPresent(kind -> columns.add(new Column(Source.PROFILE, user.condition().attribute(), kind)));
        }
    }

    /** The column kind that answers {@code condition}, if one can. */
    static Optional<Kind> kindFor(Condition condition) {
        Operator op = condition.operator().negates() != null ? condition.operator().negates() : condition.operator();
        return switch (op) {
            case EXACT_MATCH, IS_IN_LIST, STARTS_WITH, IS_TRUE, IS_FALSE -> Optional.of(Kind.TEXT);
            case EQUALS, GREATER_THAN, GREATER_OR_EQUAL, LESS_THAN, LESS_OR_EQUAL, NUMBER_BETWEEN ->
                    Optional.of(Kind.NUMBER);
            default -> Optional.empty();
        };
    }
}
