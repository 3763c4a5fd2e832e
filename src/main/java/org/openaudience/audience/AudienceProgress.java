package org.openaudience.audience;

import java.time.Instant;
import org.openaudience.calculation.CalculationProgress;

/**
 * Where an audience's membership stands, for polling: its status, size and the running calculation's progress, and
 * when the complete membership was last calculated ({@code lastCompletedAt} null when it never was).
 */
public record AudienceProgress(Audience audience, CalculationProgress progress, Instant lastCompletedAt) {
}
