package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

/** The inputs whose events an audience counts. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "AudienceInputs")
record InputsBody(
        @Schema(description = "Ids of inputs of the workspace (at most 100); [] counts the events of all inputs",
                example = "[3, 4]", requiredMode = Schema.RequiredMode.REQUIRED)
        Set<Long> inputIds) {
}
