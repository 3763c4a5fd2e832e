package org.openaudience.criteria;

import java.util.List;

/**
 * One attribute condition: attribute (as typed), operator and values as text (numbers as decimal text, dates as
 * {@code yyyy-MM-dd}, day counts as integers). Text compares by {@link TextRule}.
 */
public record Condition(String attribute, DataType type, Operator operator, List<String> values) {

    public Condition {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** The same condition with another operator (a negative operator's positive twin). */
    Condition withOperator(Operator other) {
        return new Condition(attribute, type, other, values);
    }

    public static Condition of(String attribute, DataType type, Operator operator, String... values) {
        return new Condition(attribute, type, operator, List.of(values));
    }
}
