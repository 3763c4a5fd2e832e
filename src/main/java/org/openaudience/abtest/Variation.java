package org.openaudience.abtest;

/** One variation of an A/B test: Control (position 0, always 100 minus the others) or an added one. */
public record Variation(int position, String name, int percent) {

    public static final String CONTROL = "Control";

    public boolean isControl() {
        return position == 0;
    }
}
