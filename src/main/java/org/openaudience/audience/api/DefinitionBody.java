package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.openaudience.audience.DefinitionVersion;
import org.openaudience.criteria.DefinitionJson;

/** An audience's current definition, with its version (the ETag to send back in If-Match) and who saved it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "AudienceDefinition")
record DefinitionBody(
        @Schema(description = "Increases with every save; the ETag", example = "3") int definitionVersion,
        @Schema(implementation = DefinitionDocument.class)
        JsonNode definition,
        @Schema(example = "marketer@example.com") String savedBy,
        @Schema(description = "When this version was saved") Instant savedAt) {

    static DefinitionBody of(DefinitionVersion version) {
        return new DefinitionBody(version.version(), DefinitionJson.tree(version.definition()), version.savedBy(),
                version.savedAt());
    }
}
