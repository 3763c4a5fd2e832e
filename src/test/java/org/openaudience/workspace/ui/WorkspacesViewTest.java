package org.openaudience.workspace.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class WorkspacesViewTest extends KaribuTest {

    @Autowired
    InputService inputs;

    String prefix;

    @BeforeEach
    void openAsAdmin() {
        prefix = "WS " + TestMembers.unique();
        loginAsAdmin();
        navigate("settings/workspaces");
    }

    @Test
    void an_admin_creates_a_workspace_and_it_appears_in_the_list_and_the_switcher() {
        WorkspacesView view = _get(WorkspacesView.class);
        _click(_get(Button.class, spec -> spec.withText("New workspace")));
        WorkspaceNameDialog dialog = _get(WorkspaceNameDialog.class);
        _setValue(dialog.name, prefix + " Travel");
        _click(_get(dialog, Button.class, spec -> spec.withText("Create")));

        _setValue(view.search, prefix);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._get(view.grid, 0).name()).isEqualTo(prefix + " Travel");
        assertThat(_get(WorkspaceSwitcher.class).getListDataView().getItems().map(Workspace::name))
                .contains(prefix + " Travel");
    }

    @Test
    void duplicate_and_empty_names_are_refused_next_to_the_field() {
        Workspace existing = members.workspace(prefix);
        _click(_get(Button.class, spec -> spec.withText("New workspace")));
        WorkspaceNameDialog dialog = _get(WorkspaceNameDialog.class);
        _setValue(dialog.name, existing.name());
        _click(_get(dialog, Button.class, spec -> spec.withText("Create")));
        assertThat(dialog.name.isInvalid()).isTrue();
        assertThat(dialog.name.getErrorMessage()).contains("already exists");
        assertThat(dialog.isOpened()).isTrue();

        _setValue(dialog.name, "   ");
        _click(_get(dialog, Button.class, spec -> spec.withText("Create")));
        assertThat(dialog.name.getErrorMessage()).isEqualTo("Enter a name.");
    }

    @Test
    void rename_changes_the_name() {
        Workspace workspace = members.workspace(prefix);
        WorkspacesView view = _get(WorkspacesView.class);
        _setValue(view.search, prefix);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class, spec -> spec.withText("Rename")));
        WorkspaceNameDialog dialog = _get(WorkspaceNameDialog.class);
        _setValue(dialog.name, prefix + " Renamed");
        _click(_get(dialog, Button.class, spec -> spec.withText("Rename")));
        assertThat(members.asAdmin(() -> workspaces.workspace(workspace.id())).name()).isEqualTo(prefix + " Renamed");
    }

    @Test
    void delete_needs_the_typed_name_and_removes_the_workspace_with_its_inputs() {
        Workspace workspace = members.workspace(prefix);
        var credentials = members.asAdmin(() -> inputs.addInput(workspace.id(), "Doomed", Platform.WEB));
        WorkspacesView view = _get(WorkspacesView.class);
        _setValue(view.search, prefix);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class, spec -> spec.withText("Delete")));
        DeleteWorkspaceDialog dialog = _get(DeleteWorkspaceDialog.class);
        assertThat(dialog.delete.isEnabled()).isFalse();
        _setValue(dialog.confirmation, "wrong name");
        assertThat(dialog.delete.isEnabled()).isFalse();
        _setValue(dialog.confirmation, workspace.name());
        _click(dialog.delete);

        assertThat(GridKt._size(view.grid)).isZero();
        assertThat(inputs.authenticate(credentials.apiKey(), credentials.secret())).isEmpty();
    }

    @Test
    void the_switcher_changes_and_remembers_the_current_workspace() {
        Workspace first = members.workspace(prefix + " A");
        Workspace second = members.workspace(prefix + " B");
        Member member = members.member(Role.USER, first, second);
        switchMember(member);
        navigate("");
        @SuppressWarnings("unchecked")
        ComboBox<Workspace> switcher = _get(WorkspaceSwitcher.class);
        assertThat(switcher.getListDataView().getItems().map(Workspace::id)).containsExactlyInAnyOrder(first.id(),
                second.id());
        _setValue(switcher, second);
        Workspace current = RunAs.member(member.getEmail(), Role.USER, () -> workspaces.currentWorkspace()).orElseThrow();
        assertThat(current.id()).isEqualTo(second.id());
        navigate("");
        assertThat(_get(WorkspaceSwitcher.class).getValue().id()).isEqualTo(second.id());
    }

    @Test
    void a_support_member_limited_to_some_workspaces_lists_only_those() {
        Workspace mine = members.workspace(prefix + " mine");
        Workspace theirs = members.workspace(prefix + " theirs");
        Member support = members.member(Role.SUPPORT, mine);
        switchMember(support);
        navigate("settings/workspaces");
        WorkspacesView view = _get(WorkspacesView.class);

        _setValue(view.search, prefix);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._get(view.grid, 0).id()).isEqualTo(mine.id());
        assertThat(RunAs.member(support.getEmail(), Role.SUPPORT, () -> workspaces.page("", 0, 1000)))
                .extracting(Workspace::id).contains(mine.id()).doesNotContain(theirs.id());
        assertThat(RunAs.member(support.getEmail(), Role.SUPPORT, () -> workspaces.count(theirs.name()))).isZero();
    }
}
