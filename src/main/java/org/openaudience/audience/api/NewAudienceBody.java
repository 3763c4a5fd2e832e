package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

/** A new audience: saved as a draft with this definition (activate it to calculate its members). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "NewAudience")
record NewAudienceBody(
        @Schema(description = "Unique in the workspace, at most 100 characters", example = "Paris premium viewers",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String name,
        @Schema(description = "The name outputs deliver it under (at most 100 characters); the name when left out",
                example = "paris_premium_viewers")
        String externalName,
        @Schema(description = "At most 1000 characters", example = "Premium users who watched the Paris intro")
        String description,
        @Schema(description = "At most 20 tags of at most 18 characters each", example = "[\"paris\", \"campaign\"]")
        Set<String> tags,
        @Schema(implementation = DefinitionDocument.class, requiredMode = Schema.RequiredMode.REQUIRED)
        JsonNode definition) {
}
