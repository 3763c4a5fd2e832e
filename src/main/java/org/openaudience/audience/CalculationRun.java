package org.openaudience.audience;

import java.time.Instant;
import org.openaudience.calculation.CalculationTrigger;

/**
 * One calculation of an audience: of which definition version, what started it, when it started and finished, and
 * its outcome (Running, Done, Superseded by a newer one, Failed with an error).
 *
 * @param trigger          what started it; null for runs from before triggers were recorded
 * @param size             members now: found so far while running; for the complete run its current size (real
 *                         time keeps changing it); for an earlier complete run its size when the next completed
 * @param sizeAtCompletion members found when it completed; null unless Done (and for runs from before it was kept)
 */
public record CalculationRun(int generation, int definitionVersion, CalculationTrigger trigger, String status,
                             Instant startedAt, Instant finishedAt, long size, Long sizeAtCompletion,
                             String error) {
}
