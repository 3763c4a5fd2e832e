package org.openaudience.workspace.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.openaudience.api.RestApi;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.web.bind.annotation.GetMapping;

/** The workspaces a token may use: where a script finds the {@code workspaceId} of every other path. */
@RestApi
@Tag(name = "Workspaces", description = "Workspaces the token's member may use")
class WorkspacesApi {

    private final WorkspaceService workspaces;

    WorkspacesApi(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @GetMapping("/api/v1/workspaces")
    @Operation(summary = "List workspaces", description = "The workspaces the token's member may use, by name.")
    List<WorkspaceBody> list() {
        return workspaces.accessibleWorkspaces().stream().map(WorkspaceBody::of).toList();
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Workspace")
    record WorkspaceBody(@Schema(example = "1") long id, @Schema(example = "mPTravel") String name,
                         Instant createdAt) {

        static WorkspaceBody of(Workspace workspace) {
            return new WorkspaceBody(workspace.id(), workspace.name(), workspace.createdAt());
        }
    }
}
