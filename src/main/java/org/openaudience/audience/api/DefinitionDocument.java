package org.openaudience.audience.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * How a definition looks in the OpenAPI document. Bodies carry it as JSON and read it with the app's own strict
 * reader (DefinitionJson); this record only describes the form (whose names are camelCase, as stored).
 */
@Schema(name = "Definition", description = DefinitionRequests.DEFINITION_DESCRIPTION,
        example = DefinitionRequests.EXAMPLE_DEFINITION)
record DefinitionDocument(
        @Schema(description = "The form's version; this server reads 1", example = "1",
                requiredMode = Schema.RequiredMode.REQUIRED)
        int schemaVersion,
        @Schema(description = "Input ids whose events count; empty or left out: all inputs of the workspace",
                example = "[]")
        List<Long> inputs,
        @Schema(description = "The top group: {\"items\": [...]}", requiredMode = Schema.RequiredMode.REQUIRED)
        Map<String, Object> root) {
}
