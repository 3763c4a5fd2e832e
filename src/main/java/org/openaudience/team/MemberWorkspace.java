package org.openaudience.team;

import org.springframework.data.relational.core.mapping.Table;

/** A workspace a member may use, referenced by id (the workspace is another aggregate). */
@Table("member_workspace")
record MemberWorkspace(Long workspaceId) {
}
