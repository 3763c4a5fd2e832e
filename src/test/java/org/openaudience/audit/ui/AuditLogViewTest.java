package org.openaudience.audit.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openaudience.audit.AuditAction;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class AuditLogViewTest extends KaribuTest {

    @Autowired
    InputService inputs;

    @Test
    void the_audit_log_lists_workspace_and_input_changes_with_filters() {
        Workspace workspace = members.workspace("Audited");
        var input = members.asAdmin(() -> inputs.addInput(workspace.id(), "Audited web", Platform.WEB));
        members.asAdmin(() -> inputs.rotateSecret(input.inputId()));
        loginAsAdmin();
        navigate("settings/audit-log");
        AuditLogView view = _get(AuditLogView.class);

        _setValue(view.text, workspace.name());
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._getFormatted(view.grid, 0, "action")).isEqualTo("Workspace created");

        _setValue(view.text, "Audited web");
        _setValue(view.actions, Set.of(AuditAction.INPUT_SECRET_ROTATED));
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._get(view.grid, 0).actor()).isEqualTo("admin@openaudience.test");

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        _setValue(view.from, today.plusDays(1));
        assertThat(GridKt._size(view.grid)).isZero();
        _setValue(view.from, today);
        _setValue(view.to, today);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
    }

    @Test
    void a_support_member_limited_to_one_workspace_sees_only_its_entries_and_no_team_changes() {
        String prefix = "Walled " + org.openaudience.testsupport.TestMembers.unique();
        Workspace mine = members.workspace(prefix + " mine");
        members.workspace(prefix + " theirs");
        Member support = members.member(Role.SUPPORT, mine);
        loginAsAdmin();
        navigate("settings/audit-log");
        AuditLogView asAdmin = _get(AuditLogView.class);
        _setValue(asAdmin.text, prefix);
        assertThat(GridKt._size(asAdmin.grid)).isEqualTo(2);
        _setValue(asAdmin.text, support.getEmail());
        _setValue(asAdmin.actions, Set.of(AuditAction.MEMBER_ADDED));
        assertThat(GridKt._size(asAdmin.grid)).isEqualTo(1);

        switchMember(support);
        navigate("settings/audit-log");
        AuditLogView view = _get(AuditLogView.class);
        _setValue(view.text, prefix);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._get(view.grid, 0).workspaceId()).isEqualTo(mine.id());
        _setValue(view.text, support.getEmail());
        _setValue(view.actions, Set.of(AuditAction.MEMBER_ADDED));
        assertThat(GridKt._size(view.grid)).isZero();
        _setValue(view.text, "");
        _setValue(view.actions, Set.of());
        assertThat(GridKt._fetch(view.grid, 0, GridKt._size(view.grid))).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.workspaceId()).isEqualTo(mine.id()));
    }
}
