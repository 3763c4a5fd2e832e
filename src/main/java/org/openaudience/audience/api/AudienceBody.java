package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Set;
import org.openaudience.audience.AudienceSummary;
import org.openaudience.calculation.CalculationProgress;

/** An audience as the REST API shows it: details, status, size and progress, and the last 24 hours' changes. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Audience")
public record AudienceBody(
        @Schema(example = "42") long id,
        @Schema(example = "1") long workspaceId,
        @Schema(example = "Paris premium viewers") String name,
        @Schema(description = "The name outputs deliver it under", example = "paris_premium_viewers")
        String externalName,
        @Schema(example = "Premium users who watched the Paris intro in the last 30 days") String description,
        @Schema(example = "ACTIVE") String status,
        @Schema(example = "[\"paris\", \"campaign\"]") Set<String> tags,
        @Schema(description = "The saved definition's version; its ETag", example = "3") int definitionVersion,
        @Schema(description = "Members of the complete calculation (what outputs and downloads see)",
                example = "1152") long size,
        Calculation calculation,
        @Schema(description = "Users who joined in the last 24 hours", example = "37")
        @com.fasterxml.jackson.annotation.JsonProperty("adds_24h") long adds24h,
        @Schema(description = "Users who left in the last 24 hours", example = "12")
        @com.fasterxml.jackson.annotation.JsonProperty("drops_24h") long drops24h,
        @Schema(example = "marketer@example.com") String createdBy,
        Instant createdAt,
        @Schema(example = "marketer@example.com") String updatedBy,
        Instant updatedAt) {

    /** A calculation's state: whether one runs, its real progress (MPID ranges done) and the last error. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CalculationState")
    public record Calculation(
            @Schema(example = "true") boolean calculating,
            @Schema(description = "Share of the 64 MPID ranges done (100 when not calculating)", example = "40")
            int percent,
            @Schema(example = "26") int rangesDone,
            @Schema(example = "64") int rangesTotal,
            @Schema(description = "Members found so far by the running calculation", example = "480")
            long membersFoundSoFar,
            @Schema(description = "Why the last calculation failed; null when it did not") String lastError) {

        static Calculation of(CalculationProgress progress) {
            return new Calculation(progress.calculating(), progress.percent(), progress.bucketsDone(),
                    progress.bucketsTotal(), progress.calculatingSize(), progress.lastError());
        }
    }

    static AudienceBody of(AudienceSummary summary) {
        var a = summary.audience();
        return new AudienceBody(a.id(), a.workspaceId(), a.name(), a.externalName(), a.description(),
                a.status().name(), a.tagNames(), a.definitionVersion(), summary.progress().size(),
                Calculation.of(summary.progress()), summary.adds(), summary.drops(), a.createdBy(), a.createdAt(),
                a.updatedBy(), a.updatedAt());
    }
}
