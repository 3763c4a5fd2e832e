package org.openaudience.audience.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.openaudience.audience.VersionChanges;
import org.openaudience.criteria.DefinitionDiff;
import org.openaudience.criteria.DefinitionJson;

/** One saved definition version: the definition as stored, and each change against the version before it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "DefinitionVersionDetail")
record VersionDetailBody(
        @Schema(example = "3") int version,
        @Schema(example = "marketer@example.com") String savedBy,
        Instant savedAt,
        @Schema(description = "The version compared against; null for the first", example = "2")
        Integer previousVersion,
        @Schema(description = "The definition in its versioned JSON form (schemaVersion, inputs, root)",
                example = "{\"schemaVersion\":1,\"inputs\":[],\"root\":{\"items\":[{\"connector\":null,"
                        + "\"event\":{\"kind\":\"EVENT\",\"name\":\"Play Video\",\"customEventType\":null,"
                        + "\"conditions\":[],\"frequency\":{\"comparison\":\"AT_LEAST\",\"count\":5,\"max\":5},"
                        + "\"window\":{\"type\":\"lastDays\",\"days\":30}}}]}}")
        JsonNode definition,
        @Schema(description = "The changes, in the order of the items, the inputs last") List<Change> changes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One change; paths number items from 1, "2.1" being the first item of the group that is item 2. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DefinitionChange")
    record Change(
            @Schema(example = "CRITERION_CHANGED") DefinitionDiff.Kind kind,
            @Schema(description = "Where the item is now; absent when removed", example = "2") String path,
            @Schema(description = "Where it was before; absent when added", example = "2") String previousPath,
            @Schema(description = "The change as a sentence", example = "changed criterion 2: \"Play Video · at "
                    + "least 1 in the last 30 days\" → \"Play Video · at least 5 in the last 30 days\"")
            String description) {
    }

    static VersionDetailBody of(VersionChanges changes) {
        var version = changes.version();
        List<Change> list = changes.diff() == null ? List.of() : changes.diff().changes().stream()
                .map(change -> new Change(change.kind(), change.path(), change.previousPath(),
                        change.describe(changes.names()))).toList();
        try {
            return new VersionDetailBody(version.version(), version.savedBy(), version.savedAt(),
                    changes.previous() == null ? null : changes.previous().version(),
                    JSON.readTree(DefinitionJson.write(version.definition())), list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DefinitionJson writes JSON", e);
        }
    }
}
