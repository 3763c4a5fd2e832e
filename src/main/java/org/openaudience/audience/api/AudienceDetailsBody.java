package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

/** A change of an audience's details: the fields sent change, those left out (or null) stay as they are. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "AudienceDetailsChange")
record AudienceDetailsBody(
        @Schema(description = "Unique in the workspace, at most 100 characters", example = "Paris fans")
        String name,
        @Schema(description = "The name outputs deliver it under; an empty text makes it the name again",
                example = "paris_fans")
        String externalName,
        @Schema(description = "At most 1000 characters; an empty text removes it", example = "Watched Paris twice")
        String description,
        @Schema(description = "Replaces all tags: at most 20 of at most 18 characters each; [] removes them",
                example = "[\"paris\"]")
        Set<String> tags) {

    boolean empty() {
        return name == null && externalName == null && description == null && tags == null;
    }
}
