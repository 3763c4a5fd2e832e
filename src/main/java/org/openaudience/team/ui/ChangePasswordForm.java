package org.openaudience.team.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.shared.Registration;
import java.util.Map;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;
import org.openaudience.team.PasswordPolicy;

/** Current, new and repeated password; fires {@link ChangeRequested} when the two new ones match. */
public class ChangePasswordForm extends FormLayout {

    final PasswordField currentPassword = new PasswordField("Current password");
    final PasswordField newPassword = new PasswordField("New password");
    final PasswordField repeatPassword = new PasswordField("Repeat new password");
    final Button submit = new Button("Change password");

    public ChangePasswordForm() {
        addClassName("change-password-form");
        newPassword.setHelperText(PasswordPolicy.RULE);
        currentPassword.setRequiredIndicatorVisible(true);
        newPassword.setRequiredIndicatorVisible(true);
        repeatPassword.setRequiredIndicatorVisible(true);
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        submit.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
        submit.addClickListener(click -> requestChange());
        setResponsiveSteps(new ResponsiveStep("0", 1));
        add(currentPassword, newPassword, repeatPassword, submit);
    }

    private void requestChange() {
        FieldErrors.clear(fields());
        if (!newPassword.getValue().equals(repeatPassword.getValue())) {
            showError(new InvalidRequestException("repeatPassword", "The two new passwords differ."));
            return;
        }
        fireEvent(new ChangeRequested(this, currentPassword.getValue(), newPassword.getValue()));
    }

    public void showError(InvalidRequestException error) {
        FieldErrors.show(error, fields());
    }

    private Map<String, PasswordField> fields() {
        return Map.of("currentPassword", currentPassword, "newPassword", newPassword,
                "repeatPassword", repeatPassword);
    }

    public Registration addChangeRequestedListener(
            com.vaadin.flow.component.ComponentEventListener<ChangeRequested> listener) {
        return addListener(ChangeRequested.class, listener);
    }

    public static class ChangeRequested extends ComponentEvent<ChangePasswordForm> {
        private final String currentPassword;
        private final String newPassword;

        ChangeRequested(ChangePasswordForm source, String currentPassword, String newPassword) {
            super(source, false);
            this.currentPassword = currentPassword;
            this.newPassword = newPassword;
        }

        public String currentPassword() {
            return currentPassword;
        }

        public String newPassword() {
            return newPassword;
        }
    }
}
