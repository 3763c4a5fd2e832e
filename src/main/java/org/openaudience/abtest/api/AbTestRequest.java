package org.openaudience.abtest.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.openaudience.abtest.AbTestService;

/** The split a PUT asks for. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "AbTestRequest")
@JsonIgnoreProperties({"audience_id", "saved"}) // read-only fields of the GET answer, which may be put back as is
public record AbTestRequest(
        @Schema(description = "The variations besides Control, in order (1 to 4); Control keeps the rest, which must "
                + "stay at least 1 %. A first entry named Control, as GET lists it, is accepted when its percent is "
                + "that rest, so a GET answer can be put back as it is.")
        List<Share> variations) {

    /** One variation's share and optional name. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AbVariationRequest")
    @JsonIgnoreProperties({"position", "external_name"})
    public record Share(
            @Schema(description = "At most 60 characters, unique in the test (any case); \"Variation N\" when empty",
                    example = "Half price") String name,
            @Schema(description = "Whole percent of the audience's members", example = "30", minimum = "1",
                    maximum = "99") Integer percent) {
    }

    List<AbTestService.VariationShare> shares() {
        return variations == null ? null : variations.stream()
                .map(share -> share == null ? null : new AbTestService.VariationShare(share.name(), share.percent()))
                .toList();
    }
}
