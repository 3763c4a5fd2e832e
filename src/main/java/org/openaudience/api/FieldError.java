package org.openaudience.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One thing wrong with a request, in a problem's {@code errors}: the field (snake_case, as sent), and for a
 * definition the criterion ("2.1" is the first item of the group that is the second item) and its part.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One thing wrong with the request")
public record FieldError(
        @Schema(example = "definition") String field,
        @Schema(description = "For definitions: which criterion, as a path of item numbers", example = "2.1")
        String criterion,
        @Schema(description = "For definitions: which part of the criterion", example = "conditions[0].values")
        String part,
        @Schema(example = "Choose at least one value.") String message) {
}
