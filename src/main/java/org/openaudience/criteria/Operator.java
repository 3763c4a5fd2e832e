package org.openaudience.criteria;

import static org.openaudience.criteria.DataType.BOOLEAN;
import static org.openaudience.criteria.DataType.DATE;
import static org.openaudience.criteria.DataType.LIST;
import static org.openaudience.criteria.DataType.NUMBER;
import static org.openaudience.criteria.DataType.STRING;

import java.util.EnumSet;
import java.util.Set;

/** Operators of PRODUCT.md §3.3 with the data types they apply to and how many values they take. */
public enum Operator {
    EXACT_MATCH("Exact Match", 1, STRING),
    DOES_NOT_MATCH("Does Not Match", 1, STRING),
    CONTAINS("Contains", 1, STRING),
    DOES_NOT_CONTAIN("Does Not Contain", 1, STRING),
    STARTS_WITH("Starts With", 1, STRING),
    ENDS_WITH("Ends With", 1, STRING),
    PATTERN("Pattern", 1, STRING),
    IS_IN_LIST("Is In List", -1, STRING),
    EQUALS("Equals", 1, NUMBER),
    NOT_EQUALS("Not Equals", 1, NUMBER),
    GREATER_THAN("Greater Than", 1, NUMBER),
    GREATER_OR_EQUAL("Greater or Equal", 1, NUMBER),
    LESS_THAN("Less Than", 1, NUMBER),
    LESS_OR_EQUAL("Less or Equal", 1, NUMBER),
    NUMBER_BETWEEN("Between", 2, NUMBER),
    IS_TRUE("Is True", 0, BOOLEAN),
    IS_FALSE("Is False", 0, BOOLEAN),
    BEFORE("Before", 1, DATE),
    AFTER("After", 1, DATE),
    ON("On", 1, DATE),
    DATE_BETWEEN("Between", 2, DATE),
    IN_LAST_DAYS("In the Last N Days", 1, DATE),
    MORE_THAN_DAYS_AGO("More Than N Days Ago", 1, DATE),
    INCLUDES("Includes", 1, LIST),
    DOES_NOT_INCLUDE("Does Not Include", 1, LIST),
    PARTIAL_MATCH("Partial Match", 1, LIST),
    EXISTS("Exists", 0, STRING, NUMBER, BOOLEAN, DATE, LIST),
    DOES_NOT_EXIST("Does Not Exist", 0, STRING, NUMBER, BOOLEAN, DATE, LIST);

    private final String label;
    private final int valueCount;
    private final Set<DataType> types;

    Operator(String label, int values, DataType first, DataType... more) {
        this.label = label;
        this.valueCount = values;
        this.types = EnumSet.of(first, more);
    }

    public String label() {
        return label;
    }

    /** How many values the operator takes; -1 means one or more. */
    public int valueCount() {
        return valueCount;
    }

    public boolean appliesTo(DataType type) {
        return types.contains(type);
    }

    /**
     * The positive operator this one negates, or null. A negative operator holds exactly when its twin does not —
     * also when the value is missing or not of the condition's type (as mParticle reads it), so "status Does Not
     * Match premium" includes users without a status; add "Exists" to require one.
     */
    public Operator negates() {
        return switch (this) {
            case DOES_NOT_MATCH -> EXACT_MATCH;
            case DOES_NOT_CONTAIN -> CONTAINS;
            case NOT_EQUALS -> EQUALS;
            case DOES_NOT_INCLUDE -> INCLUDES;
            default -> null;
        };
    }
}
