package org.openaudience.team.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.button.Button;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;

class TeamViewTest extends KaribuTest {

    String email;

    @BeforeEach
    void openAsAdmin() {
        email = "new-" + TestMembers.unique() + "@openaudience.test";
        loginAsAdmin();
        navigate("settings/team");
    }

    private MemberDialog openAddDialog() {
        _click(_get(Button.class, spec -> spec.withText("Add member")));
        return _get(MemberDialog.class);
    }

    @Test
    void an_admin_adds_a_member_limited_to_one_workspace_who_must_change_the_temporary_password() {
        Workspace workspace = members.workspace("Team");
        MemberDialog dialog = openAddDialog();
        _setValue(dialog.editor.name, "Ada Analyst");
        _setValue(dialog.editor.email, email);
        _setValue(dialog.editor.role, Role.READ_ONLY);
        _setValue(dialog.editor.workspaces, Set.of(workspace));
        _setValue(dialog.editor.temporaryPassword, "Welcome-2026-x");
        _click(dialog.save);

        assertThat(dialog.isOpened()).isFalse();
        TeamView view = _get(TeamView.class);
        _setValue(view.search, email);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        Member added = GridKt._get(view.grid, 0);
        assertThat(added.getRole()).isEqualTo(Role.READ_ONLY);
        assertThat(added.workspaceIds()).containsExactly(workspace.id());
        assertThat(added.isMustChangePassword()).isTrue();
        assertThat(GridKt._getFormatted(view.grid, 0, "status")).isEqualTo("Active · temporary password");
    }

    @Test
    void duplicate_email_empty_name_and_weak_password_are_refused_at_their_fields() {
        Member existing = members.member(Role.USER);
        MemberDialog dialog = openAddDialog();
        _setValue(dialog.editor.name, "");
        _setValue(dialog.editor.email, existing.getEmail().toUpperCase());
        _setValue(dialog.editor.temporaryPassword, "Good-pass-123");
        _click(dialog.save);
        assertThat(dialog.editor.name.isInvalid()).isTrue();
        assertThat(dialog.editor.name.getErrorMessage()).isEqualTo("Enter the member's name.");

        _setValue(dialog.editor.name, "Someone");
        _click(dialog.save);
        assertThat(dialog.editor.email.isInvalid()).isTrue();
        assertThat(dialog.editor.email.getErrorMessage()).isEqualTo("A member with this email already exists.");

        _setValue(dialog.editor.email, email);
        _setValue(dialog.editor.temporaryPassword, "short");
        _click(dialog.save);
        assertThat(dialog.editor.temporaryPassword.isInvalid()).isTrue();
        assertThat(dialog.editor.temporaryPassword.getErrorMessage()).contains("at least 10 characters");

        _setValue(dialog.editor.temporaryPassword, "onlyletterslong");
        _click(dialog.save);
        assertThat(dialog.editor.temporaryPassword.getErrorMessage()).isEqualTo("Mix letters with digits or symbols.");

        _setValue(dialog.editor.temporaryPassword, "Good-pass-123");
        _click(dialog.save);
        assertThat(dialog.editor.workspaces.getErrorMessage())
                .isEqualTo("Choose at least one workspace, or All workspaces.");
        assertThat(dialog.isOpened()).isTrue();
    }

    @Test
    void an_admin_changes_a_role_and_deactivates_a_member() {
        Member member = members.member(Role.USER);
        TeamView view = _get(TeamView.class);
        _setValue(view.search, member.getEmail());
        GridKt._clickItem(view.grid, 0, 1, false, false, false, false);
        MemberDialog dialog = _get(MemberDialog.class);
        assertThat(dialog.editor.email.isReadOnly()).isTrue();
        _setValue(dialog.editor.role, Role.SUPPORT);
        _click(dialog.save);
        assertThat(GridKt._getFormatted(view.grid, 0, "role")).isEqualTo("Support");

        GridKt._clickItem(view.grid, 0, 1, false, false, false, false);
        _click(_get(_get(MemberDialog.class), Button.class, spec -> spec.withText("Deactivate")));
        assertThat(GridKt._getFormatted(view.grid, 0, "status")).isEqualTo("Deactivated");
    }

    @Test
    void an_admin_cannot_deactivate_themselves() {
        TeamView view = _get(TeamView.class);
        _setValue(view.search, TestMembers.ADMIN_EMAIL);
        GridKt._clickItem(view.grid, 0, 1, false, false, false, false);
        _click(_get(_get(MemberDialog.class), Button.class, spec -> spec.withText("Deactivate")));
        assertThat(GridKt._getFormatted(view.grid, 0, "status")).startsWith("Active");
        assertThat(_find(MemberDialog.class)).hasSize(1);
    }
}
