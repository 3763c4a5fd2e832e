package org.openaudience.audience;

import org.openaudience.calculation.CalculationProgress;

/** One row of the Audiences list: the audience, its size and calculation progress, adds and drops in 24 hours. */
public record AudienceSummary(Audience audience, CalculationProgress progress, long adds, long drops) {

    /** Adds plus drops in 24 hours as a percentage of the size: how much the membership churns. */
    public double volatilityPercent() {
        return progress.size() == 0 ? (adds + drops == 0 ? 0 : 100) : 100.0 * (adds + drops) / progress.size();
    }
}
