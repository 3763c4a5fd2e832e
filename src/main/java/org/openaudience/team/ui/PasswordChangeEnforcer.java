package org.openaudience.team.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.MemberDirectory;
import org.openaudience.security.ui.LoginView;
import org.springframework.stereotype.Component;

/**
 * Whatever page a signed-in member opens: a deactivated member is sent to the login page with the reason, and a
 * member who still has a temporary password to {@link ChangePasswordView}.
 */
@Component
class PasswordChangeEnforcer implements VaadinServiceInitListener {

    private final MemberDirectory members;

    PasswordChangeEnforcer(MemberDirectory members) {
        this.members = members;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(this::beforeEnter));
    }

    private void beforeEnter(BeforeEnterEvent event) {
        Class<?> target = event.getNavigationTarget();
        if (target == ChangePasswordView.class || target == LoginView.class) {
            return;
        }
        String email = AccessGuard.signedInEmail();
        if (email == null) {
            return;
        }
        var member = members.findActiveMember(email);
        if (member.isEmpty()) {
            // deactivated (or removed) while signed in: every page would be refused, so say why on the login page
            event.rerouteTo("login", QueryParameters.of("inactive", ""));
        } else if (member.get().mustChangePassword()) {
            event.rerouteTo(ChangePasswordView.class);
        }
    }
}
