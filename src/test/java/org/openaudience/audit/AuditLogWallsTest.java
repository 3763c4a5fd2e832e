package org.openaudience.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/** The audit log shows each reader only the entries of workspaces they may use; installation-wide ones to Admins. */
@IntegrationTest
class AuditLogWallsTest {

    @Autowired
    AuditLog audit;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;

    TestMembers members;
    Workspace mine;
    Workspace theirs;

    @BeforeEach
    void twoWorkspacesWithInputs() {
        members = new TestMembers(team, workspaces);
        mine = members.workspace("Walls mine");
        theirs = members.workspace("Walls theirs");
        members.asAdmin(() -> inputs.addInput(mine.id(), "Walls web " + TestMembers.unique(), Platform.WEB));
        members.asAdmin(() -> inputs.addInput(theirs.id(), "Walls web " + TestMembers.unique(), Platform.WEB));
    }

    private List<AuditEntry> everythingAs(Member reader) {
        return RunAs.member(reader.getEmail(), reader.getRole(),
                () -> audit.page(AuditFilter.none(), 0, 100_000).toList());
    }

    @Test
    void a_support_member_limited_to_one_workspace_sees_only_its_entries_and_none_without_a_workspace() {
        Member support = members.member(Role.SUPPORT, mine);

        List<AuditEntry> seen = everythingAs(support);

        assertThat(seen).isNotEmpty().allSatisfy(entry -> assertThat(entry.workspaceId()).isEqualTo(mine.id()));
        assertThat(seen).extracting(AuditEntry::action)
                .contains(AuditAction.WORKSPACE_CREATED, AuditAction.INPUT_CREATED);
        assertThat(RunAs.member(support.getEmail(), Role.SUPPORT, () -> audit.count(AuditFilter.none())))
                .isEqualTo(seen.size());
        assertThat(RunAs.member(support.getEmail(), Role.SUPPORT, () -> audit.count(new AuditFilter(
                Set.of(AuditAction.MEMBER_ADDED), null, null, null)))).as("team changes are Admin-only").isZero();
    }

    @Test
    void a_support_member_with_every_workspace_sees_them_all_but_not_logins_or_team_changes() {
        Member support = members.member(Role.SUPPORT);

        List<AuditEntry> seen = everythingAs(support);

        assertThat(seen).extracting(AuditEntry::workspaceId).doesNotContainNull().contains(mine.id(), theirs.id());
        assertThat(seen).extracting(AuditEntry::action).doesNotContain(AuditAction.MEMBER_ADDED,
                AuditAction.PASSWORD_CHANGED);
    }

    @Test
    void an_admin_sees_every_workspace_and_the_entries_without_one() {
        members.member(Role.READ_ONLY, theirs);

        List<AuditEntry> seen = members.asAdmin(() -> audit.page(AuditFilter.none(), 0, 100_000).toList());

        assertThat(seen).extracting(AuditEntry::workspaceId).contains(mine.id(), theirs.id(), null);
        assertThat(seen).extracting(AuditEntry::action).contains(AuditAction.MEMBER_ADDED);
    }
}
