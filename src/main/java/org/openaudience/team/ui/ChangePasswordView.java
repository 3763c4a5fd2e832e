package org.openaudience.team.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.Notifications;
import org.openaudience.team.TeamService;

/** Where a member with a temporary password lands until they choose their own. */
@Route(value = "change-password", autoLayout = false)
@PageTitle("Choose your password · OpenAudience")
@PermitAll
public class ChangePasswordView extends VerticalLayout {

    final ChangePasswordForm form = new ChangePasswordForm();

    public ChangePasswordView(TeamService team) {
        addClassName("change-password-view");
        setAlignItems(Alignment.CENTER);
        form.setMaxWidth("24em");
        add(new H1("Choose your password"),
                new Paragraph("Your password was set by an Admin. Choose your own before you continue."),
                form);
        form.addChangeRequestedListener(event -> {
            try {
                team.changeOwnPassword(event.currentPassword(), event.newPassword());
                Notifications.success("Your password was changed.");
                UI.getCurrent().navigate("");
            } catch (InvalidRequestException e) {
                form.showError(e);
            }
        });
    }
}
