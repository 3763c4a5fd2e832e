package org.openaudience.team;

import java.util.Set;
import org.openaudience.security.Role;

/**
 * What an Admin enters to add or change a member. {@code temporaryPassword} is only read when adding; the member
 * must replace it at their first login.
 */
public record MemberForm(String name, String email, Role role, boolean allWorkspaces, Set<Long> workspaceIds,
                         String temporaryPassword) {
}
