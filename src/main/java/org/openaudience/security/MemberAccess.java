package org.openaudience.security;

import java.util.Set;

/** What the access checks need to know about the signed-in member, read fresh from the database on each check. */
public record MemberAccess(long memberId, String email, String name, Role role, boolean allWorkspaces,
                           Set<Long> workspaceIds, boolean mustChangePassword) {

    public boolean mayUseWorkspace(long workspaceId) {
        return role.seesAllWorkspaces() || allWorkspaces || workspaceIds.contains(workspaceId);
    }

    public boolean can(Capability capability) {
        return capability.grantedTo(role);
    }
}
