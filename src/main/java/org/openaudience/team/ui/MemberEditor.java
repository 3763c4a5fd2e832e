package org.openaudience.team.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.team.MemberForm;
import org.openaudience.team.PasswordPolicy;
import org.openaudience.workspace.Workspace;

/** The fields of a member; a new member also gets a temporary password. Fires {@link SaveRequested}. */
public class MemberEditor extends FormLayout {

    final TextField name = new TextField("Name");
    final EmailField email = new EmailField("Email");
    final Select<Role> role = new Select<>();
    final Checkbox allWorkspaces = new Checkbox("All workspaces, including future ones");
    final MultiSelectComboBox<Workspace> workspaces = new MultiSelectComboBox<>("Workspaces");
    final PasswordField temporaryPassword = new PasswordField("Temporary password");
    private final boolean adding;

    MemberEditor(List<Workspace> allWorkspaceChoices, Member existing) {
        this.adding = existing == null;
        addClassName("member-editor");
        name.setRequiredIndicatorVisible(true);
        name.setMaxLength(100);
        email.setRequiredIndicatorVisible(true);
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setItemLabelGenerator(Role::label);
        role.addValueChangeListener(e -> {
            role.setHelperText(e.getValue() == null ? null : e.getValue().description());
            updateWorkspaceFields();
        });
        workspaces.setItems(allWorkspaceChoices);
        workspaces.setItemLabelGenerator(Workspace::name);
        allWorkspaces.addValueChangeListener(e -> updateWorkspaceFields());
        temporaryPassword.setHelperText(PasswordPolicy.RULE + " The member must change it at first login.");
        temporaryPassword.setRequiredIndicatorVisible(true);
        add(name, email, role, allWorkspaces, workspaces);
        if (adding) {
            role.setValue(Role.USER);
            add(temporaryPassword);
        } else {
            name.setValue(existing.getName());
            email.setValue(existing.getEmail());
            email.setReadOnly(true);
            role.setValue(existing.getRole());
            allWorkspaces.setValue(existing.isAllWorkspaces());
            Set<Long> ids = existing.workspaceIds();
            workspaces.setValue(allWorkspaceChoices.stream().filter(w -> ids.contains(w.id()))
                    .collect(Collectors.toSet()));
        }
        updateWorkspaceFields();
    }

    /** Admins always use every workspace; "all" makes the list moot. */
    private void updateWorkspaceFields() {
        boolean admin = role.getValue() == Role.ADMIN;
        allWorkspaces.setEnabled(!admin);
        workspaces.setEnabled(!admin && !allWorkspaces.getValue());
        workspaces.setHelperText(admin ? "Admins can use every workspace." : null);
    }

    void requestSave() {
        FieldErrors.clear(fields());
        Set<Long> ids = workspaces.getValue().stream().map(Workspace::id).collect(Collectors.toSet());
        fireEvent(new SaveRequested(this, new MemberForm(name.getValue(), email.getValue(), role.getValue(),
                allWorkspaces.getValue(), ids, adding ? temporaryPassword.getValue() : null)));
    }

    void showError(InvalidRequestException error) {
        FieldErrors.show(error, fields());
    }

    private Map<String, com.vaadin.flow.component.HasValidation> fields() {
        return Map.of("name", name, "email", email, "role", role, "workspaces", workspaces,
                "temporaryPassword", temporaryPassword);
    }

    Registration addSaveRequestedListener(ComponentEventListener<SaveRequested> listener) {
        return addListener(SaveRequested.class, listener);
    }

    static class SaveRequested extends ComponentEvent<MemberEditor> {
        private final MemberForm form;

        SaveRequested(MemberEditor source, MemberForm form) {
            super(source, false);
            this.form = form;
        }

        MemberForm form() {
            return form;
        }
    }
}
