package org.openaudience.audience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import org.openaudience.indexing.IndexBuild;

/** An attribute index the audience's definition will read once it is built. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "IndexBuild")
record IndexBuildBody(
        @Schema(description = "EVENT (an event attribute) or PROFILE (a user attribute)", example = "EVENT")
        String source,
        @Schema(example = "destination") String attribute,
        @Schema(description = "TEXT (case-folded text) or NUMBER", example = "TEXT") String kind,
        @Schema(description = "How far the build is; null while it waits for its turn", example = "45")
        Integer percent) {

    static IndexBuildBody of(IndexBuild build) {
        return new IndexBuildBody(build.column().source().name(), build.column().attribute(),
                build.column().kind().name(), build.percent());
    }
}
