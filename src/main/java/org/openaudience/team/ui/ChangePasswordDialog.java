package org.openaudience.team.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.Notifications;
import org.openaudience.team.TeamService;

/** The member menu's "Change password". */
public class ChangePasswordDialog extends Dialog {

    final ChangePasswordForm form = new ChangePasswordForm();

    public ChangePasswordDialog(TeamService team) {
        setHeaderTitle("Change password");
        add(form);
        form.addChangeRequestedListener(event -> {
            try {
                team.changeOwnPassword(event.currentPassword(), event.newPassword());
                Notifications.success("Your password was changed.");
                close();
            } catch (InvalidRequestException e) {
                form.showError(e);
            }
        });
        getFooter().add(new Button("Cancel", click -> close()));
    }
}
