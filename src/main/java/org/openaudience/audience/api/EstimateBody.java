package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.openaudience.audience.Estimate;

/** The estimated size of a definition, from a fixed sample of the workspace's profiles, and of each criterion. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Estimate")
record EstimateBody(
        @Schema(description = "Estimated members in the whole workspace", example = "1150") long size,
        @Schema(description = "Fewer than 20 matches in the sample: too small to estimate (the editor shows ~)",
                example = "false")
        boolean tooSmall,
        @Schema(description = "Profiles counted: a fixed MPID range of the workspace", example = "20000")
        long sampledProfiles,
        @Schema(description = "The sample's share of the workspace's profiles (1 to 100)", example = "12")
        int samplePercent,
        @Schema(description = "True when the sample is every profile, so the size is exact, not an estimate",
                example = "false")
        boolean exact,
        @Schema(description = "Each criterion on its own") List<CriterionEstimate> criteria) {

    /** One criterion's estimate, by its path ("2.1" is the first item of the group that is item 2). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CriterionEstimate")
    record CriterionEstimate(@Schema(example = "1") String criterion, @Schema(example = "5400") long size,
                             @Schema(example = "false") boolean tooSmall) {
    }

    static EstimateBody of(Estimate estimate) {
        Estimate.Value total = estimate.total();
        return new EstimateBody(total.size(), total.tooSmall(), total.sampled(), total.samplePercent(),
                total.samplePercent() == 100, estimate.perCriterion().entrySet().stream()
                .map(entry -> new CriterionEstimate(entry.getKey(), entry.getValue().size(),
                        entry.getValue().tooSmall())).toList());
    }
}
