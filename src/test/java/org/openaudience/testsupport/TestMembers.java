package org.openaudience.testsupport;

import java.util.Set;
import java.util.UUID;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.MemberForm;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Creates members and workspaces through the real services, as the test Admin would. */
public class TestMembers {

    public static final String ADMIN_EMAIL = "admin@openaudience.test";
    public static final String ADMIN_PASSWORD = "Test-admin-pass-1";
    public static final String PASSWORD = "Member-pass-42";

    private final TeamService team;
    private final WorkspaceService workspaces;

    public TestMembers(TeamService team, WorkspaceService workspaces) {
        this.team = team;
        this.workspaces = workspaces;
    }

    public <T> T asAdmin(java.util.function.Supplier<T> work) {
        return RunAs.member(ADMIN_EMAIL, Role.ADMIN, work);
    }

    public Workspace workspace(String prefix) {
        return asAdmin(() -> workspaces.createWorkspace(prefix + " " + unique()));
    }

    /** A member with their own password already chosen (no temporary-password detour). */
    public Member member(Role role, Workspace... access) {
        Set<Long> ids = java.util.Arrays.stream(access).map(Workspace::id).collect(java.util.stream.Collectors.toSet());
        String email = role.name().toLowerCase().replace('_', '-') + "-" + unique() + "@openaudience.test";
        String temporary = "Temporary-pass-1";
        Member member = asAdmin(() -> team.addMember(new MemberForm(role.label() + " " + email.substring(0, 8),
                email, role, access.length == 0, ids, temporary)));
        RunAs.member(email, role, () -> {
            team.changeOwnPassword(temporary, PASSWORD);
            return null;
        });
        return member;
    }

    /** A member who has not yet replaced the temporary password an Admin gave them. */
    public Member memberWithTemporaryPassword(Role role) {
        String email = "new-" + unique() + "@openaudience.test";
        return asAdmin(() -> team.addMember(new MemberForm("New " + email.substring(4, 10), email, role, true,
                Set.of(), "Temporary-pass-1")));
    }

    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
