package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.openaudience.audience.AudienceProgress;
import org.openaudience.calculation.CalculationProgress;

/** Where an audience's calculation stands: small, for polling until {@code calculating} turns false. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "AudienceProgress")
record ProgressBody(
        @Schema(example = "42") long audienceId,
        @Schema(example = "ACTIVE") String status,
        @Schema(description = "The saved definition's version", example = "3") int definitionVersion,
        @Schema(description = "Members of the complete calculation (what outputs and downloads see)",
                example = "1152") long size,
        @Schema(example = "true") boolean calculating,
        @Schema(description = "Share of the MPID ranges done (100 when not calculating)", example = "40")
        int percent,
        @Schema(example = "26") int rangesDone,
        @Schema(example = "64") int rangesTotal,
        @Schema(description = "Members found so far by the running calculation; the size when none runs",
                example = "480") long membersFoundSoFar,
        @Schema(description = "Why the last calculation failed; null when it did not") String lastError,
        @Schema(description = "When the complete membership was last calculated; null when it never was",
                example = "2026-03-01T09:30:00Z") Instant lastCompletedAt,
        @Schema(description = "Attribute indexes the definition will read once built; until then calculations read"
                + " the attributes from each event or profile (same result, slower)")
        java.util.List<IndexBuildBody> indexesBuilding) {

    static ProgressBody of(AudienceProgress state, java.util.List<org.openaudience.indexing.IndexBuild> builds) {
        var audience = state.audience();
        CalculationProgress progress = state.progress();
        return new ProgressBody(audience.id(), audience.status().name(), audience.definitionVersion(),
                progress.size(), progress.calculating(), progress.percent(), progress.bucketsDone(),
                progress.bucketsTotal(), progress.calculatingSize(), progress.lastError(), state.lastCompletedAt(),
                builds.stream().map(IndexBuildBody::of).toList());
    }
}
