package org.openaudience.workspace;

/** Published inside the deleting transaction so features can remove data the database does not cascade. */
public record WorkspaceDeleted(long workspaceId, String name) {
}
