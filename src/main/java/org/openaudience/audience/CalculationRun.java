package org.openaudience.audience;

import java.time.Instant;

/**
 * One calculation of an audience: of which definition version, when it started and finished, the size it found
 * and its outcome (Running, Done, Superseded by a newer one, Failed with an error).
 */
public record CalculationRun(int generation, int definitionVersion, String status, Instant startedAt,
                             Instant finishedAt, long size, String error) {
}
