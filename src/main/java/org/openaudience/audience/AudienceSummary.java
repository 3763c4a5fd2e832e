package org.openaudience.audience;

import org.openaudience.calculation.CalculationProgress;

/** One row of the Audiences list: the audience, its size and calculation progress, adds and drops in 24 hours. */
public record AudienceSummary(Audience audience, CalculationProgress progress, long adds, long drops) {
}
