package org.openaudience.audit;

import java.util.Set;
import org.openaudience.security.MemberAccess;

/**
 * Which audit entries a reader sees. Admins see everything. Everyone else sees only entries of workspaces they may
 * use, never those without a workspace (logins, team changes, refusals): those are about the whole installation.
 *
 * @param everything     every entry, with or without a workspace
 * @param everyWorkspace entries of any workspace (a member with access to all workspaces)
 * @param workspaceIds   otherwise: entries of these workspaces only
 */
record AuditScope(boolean everything, boolean everyWorkspace, Set<Long> workspaceIds) {

    static AuditScope of(MemberAccess reader) {
        if (reader.role().seesAllWorkspaces()) {
            return new AuditScope(true, true, Set.of());
        }
        return new AuditScope(false, reader.allWorkspaces(), Set.copyOf(reader.workspaceIds()));
    }
}
