package org.openaudience.calculation;

/**
 * What started a calculation run. Only these start one: real-time membership and the time sweep change the
 * complete generation in place, and a restart resumes a run without starting a new one.
 */
public enum CalculationTrigger {

    /** Activating the audience (again, after a deactivation, too). */
    ACTIVATION("Activation"),
    /** Saving a new definition version of an active audience: criteria, inputs, or a restored version. */
    EDIT("Edit"),
    /** Retry calculation after a failed run. */
    RETRY("Retry");

    private final String label;

    CalculationTrigger(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
