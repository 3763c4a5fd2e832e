package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import org.openaudience.audience.CalculationRun;
import org.openaudience.calculation.CalculationTrigger;

/** One calculation of an audience, as the Details tab's runs list shows it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "CalculationRun")
record RunBody(
        @Schema(description = "The run's number for this audience, counting up", example = "7") int generation,
        @Schema(description = "The definition version it calculated", example = "3") int definitionVersion,
        @Schema(description = "What started it: ACTIVATION, EDIT (a new definition version of an active audience: "
                + "criteria, inputs or a restored version) or RETRY (after a failed run); null for runs from "
                + "before triggers were recorded", example = "EDIT")
        CalculationTrigger trigger,
        @Schema(description = "RUNNING, DONE, SUPERSEDED (a newer run replaced it) or FAILED", example = "DONE")
        String status,
        Instant startedAt,
        @Schema(description = "Null while running") Instant finishedAt,
        @Schema(description = "Milliseconds from start to finish; null while running", example = "5230")
        Long durationMs,
        @Schema(description = "Members found when it completed; null unless DONE (and for runs completed before "
                + "this was kept)", example = "1152")
        Long sizeAtCompletion,
        @Schema(description = "Members now: found so far while running; for the complete run its current size, "
                + "which real time keeps changing", example = "1160") long size,
        @Schema(description = "Why it failed; null unless FAILED") String error) {

    static RunBody of(CalculationRun run) {
        return new RunBody(run.generation(), run.definitionVersion(),
                run.trigger(), run.status(), run.startedAt(),
                run.finishedAt(), run.finishedAt() == null ? null
                : Duration.between(run.startedAt(), run.finishedAt()).toMillis(), run.sizeAtCompletion(),
                run.size(), run.error());
    }
}
