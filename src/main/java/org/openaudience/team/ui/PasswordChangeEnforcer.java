package org.openaudience.team.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.MemberDirectory;
import org.openaudience.security.ui.LoginView;
import org.springframework.stereotype.Component;

/** Sends a member who still has a temporary password to {@link ChangePasswordView}, whatever page they open. */
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
        if (email != null && members.findActiveMember(email).map(m -> m.mustChangePassword()).orElse(false)) {
            event.rerouteTo(ChangePasswordView.class);
        }
    }
}
