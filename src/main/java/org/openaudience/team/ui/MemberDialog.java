package org.openaudience.team.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import java.util.List;
import java.util.Map;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;
import org.openaudience.base.ui.Notifications;
import org.openaudience.team.Member;
import org.openaudience.team.PasswordPolicy;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.Workspace;

/** Adds a member, or edits one: role, workspaces, deactivate / reactivate and password reset. */
class MemberDialog extends Dialog {

    final MemberEditor editor;
    final Button save = new Button();
    private final TeamService team;
    private final Runnable onChange;

    MemberDialog(TeamService team, List<Workspace> workspaces, Member existing, Runnable onChange) {
        this.team = team;
        this.onChange = onChange;
        this.editor = new MemberEditor(workspaces, existing);
        setHeaderTitle(existing == null ? "Add member" : existing.getName());
        setWidth("36em");
        add(editor);
        save.setText(existing == null ? "Add member" : "Save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> editor.requestSave());
        editor.addSaveRequestedListener(event -> save(existing, event.form()));
        if (existing != null) {
            getFooter().add(accountActions(existing));
        }
        getFooter().add(new Button("Cancel", click -> close()), save);
    }

    private void save(Member existing, org.openaudience.team.MemberForm form) {
        try {
            if (existing == null) {
                Member added = team.addMember(form);
                Notifications.success("Added " + added.getEmail() + ". Give them the temporary password.");
            } else {
                team.updateMember(existing.getId(), form);
                Notifications.success("Saved " + existing.getEmail());
            }
            onChange.run();
            close();
        } catch (InvalidRequestException e) {
            editor.showError(e);
        }
    }

    private HorizontalLayout accountActions(Member member) {
        Button activation = member.isActive()
                ? new Button("Deactivate", click -> act(() -> team.deactivateMember(member.getId()),
                "Deactivated " + member.getEmail()))
                : new Button("Reactivate", click -> act(() -> team.reactivateMember(member.getId()),
                "Reactivated " + member.getEmail()));
        activation.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        Button reset = new Button("Reset password", click -> openResetDialog(member));
        reset.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout actions = new HorizontalLayout(activation, reset);
        actions.getStyle().set("margin-inline-end", "auto");
        return actions;
    }

    private void act(Runnable action, String success) {
        try {
            action.run();
            Notifications.success(success);
            onChange.run();
            close();
        } catch (InvalidRequestException e) {
            Notifications.error(e.getMessage());
        }
    }

    private void openResetDialog(Member member) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Reset password of " + member.getName());
        PasswordField password = new PasswordField("Temporary password");
        password.setHelperText(PasswordPolicy.RULE + " They must change it at next login; this also unlocks "
                + "the account.");
        password.setWidthFull();
        dialog.add(new Span(""), password);
        Button confirm = new Button("Reset password", click -> {
            try {
                team.resetPassword(member.getId(), password.getValue());
                Notifications.success("Password reset for " + member.getEmail());
                dialog.close();
                onChange.run();
            } catch (InvalidRequestException e) {
                FieldErrors.show(e, Map.of("temporaryPassword", password));
            }
        });
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), confirm);
        dialog.open();
    }
}
