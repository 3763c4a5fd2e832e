package org.openaudience.catalog;

/** The detected type of an attribute, from the values observed so far. */
public enum DataType {
    STRING("String"), NUMBER("Number"), BOOLEAN("Boolean"), DATE("Date"), LIST("List");

    /** Share of observations that must parse as a type for the attribute to get it ("nearly all"). */
    static final double THRESHOLD = 0.95;

    private final String label;

    DataType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static DataType detect(long observations, long numbers, long booleans, long dates, long lists) {
        if (observations == 0) {
            return STRING;
        }
        if (lists >= THRESHOLD * observations) {
            return LIST;
        }
        if (booleans >= THRESHOLD * observations) {
            return BOOLEAN;
        }
        if (dates >= THRESHOLD * observations) {
            return DATE;
        }
        if (numbers >= THRESHOLD * observations) {
            return NUMBER;
        }
        return STRING;
    }
}
