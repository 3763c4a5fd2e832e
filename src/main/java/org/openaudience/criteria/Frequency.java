package org.openaudience.criteria;

/** How many matching events a user must have; {@code max} is used by BETWEEN only (inclusive bounds). */
public record Frequency(Comparison comparison, long count, long max) {

    public enum Comparison { GREATER_THAN, AT_LEAST, EXACTLY, LESS_THAN, BETWEEN }

    /** The default: more than 0. */
    public static final Frequency ANY = new Frequency(Comparison.GREATER_THAN, 0, 0);

    public static Frequency of(Comparison comparison, long count) {
        return new Frequency(comparison, count, count);
    }

    public boolean test(long actual) {
        return switch (comparison) {
            case GREATER_THAN -> actual > count;
            case AT_LEAST -> actual >= count;
            case EXACTLY -> actual == count;
            case LESS_THAN -> actual < count;
            case BETWEEN -> actual >= count && actual <= max;
        };
    }
}
