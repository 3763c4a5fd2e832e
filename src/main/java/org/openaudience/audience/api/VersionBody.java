package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.openaudience.audience.VersionChanges;

/** One saved definition version in the history list, with its changes against the version before it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "DefinitionVersionSummary")
record VersionBody(
        @Schema(example = "3") int version,
        @Schema(example = "marketer@example.com") String savedBy,
        Instant savedAt,
        @Schema(description = "The version compared against; null for the first", example = "2")
        Integer previousVersion,
        @Schema(description = "Each change as a sentence; empty for the first version or a save without changes. "
                + "GET /versions/{version} has them as structured `changes`",
                example = "[\"changed criterion 2: \\\"Play Video · at least 1 in the last 30 days\\\" → "
                        + "\\\"Play Video · at least 5 in the last 30 days\\\"\"]")
        List<String> summary) {

    static VersionBody of(VersionChanges changes) {
        var version = changes.version();
        return new VersionBody(version.version(), version.savedBy(), version.savedAt(),
                changes.previous() == null ? null : changes.previous().version(), changes.sentences());
    }
}
