package org.openaudience.abtest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.openaudience.abtest.AbTest;
import org.openaudience.audience.Audience;

/** An audience's A/B test as the REST API shows it: the variations in order, Control first, and whether it is saved. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "AbTest")
public record AbTestBody(
        @Schema(example = "42") long audienceId,
        @Schema(description = "Saved tests are frozen: members are assigned to variations by a fixed split, and "
                + "variations can be connected; to change the split, delete the test and put a new one",
                example = "true") boolean saved,
        @Schema(description = "Control first (position 0, 100 minus the others), then the added variations")
        List<VariationBody> variations) {

    /** One variation: where it is, its name and share, and the name outputs receive it under. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AbVariation")
    public record VariationBody(
            @Schema(description = "0 for Control; what a connection's `variation` names", example = "1")
            int position,
            @Schema(example = "Half price") String name,
            @Schema(example = "30") int percent,
            @Schema(description = "The name outputs deliver this variation under",
                    example = "paris_premium_viewers - Half price") String externalName) {
    }

    static AbTestBody of(AbTest test, Audience audience) {
        return new AbTestBody(test.audienceId(), test.saved(), test.variations().stream()
                .map(v -> new VariationBody(v.position(), v.name(), v.percent(),
                        audience.externalName() + " - " + v.name())).toList());
    }
}
