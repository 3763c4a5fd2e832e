package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** A definition to save or estimate. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "DefinitionChange")
record DefinitionChangeBody(
        @Schema(implementation = DefinitionDocument.class, requiredMode = Schema.RequiredMode.REQUIRED)
        JsonNode definition) {
}
