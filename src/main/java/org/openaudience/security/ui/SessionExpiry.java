package org.openaudience.security.ui;

import com.vaadin.flow.server.CustomizedSystemMessages;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.SystemMessages;
import com.vaadin.flow.server.SystemMessagesInfo;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.springframework.stereotype.Component;

/**
 * Idle sessions end after {@code server.servlet.session.timeout} even with a tab open ({@code vaadin.closeIdleSessions}:
 * the heartbeat of an open tab does not count as activity). A page then goes, without a notification to click away,
 * to the login page that says why ({@code /login?expired}); the login page itself just reloads. Pages learn which at
 * load time, so a page loaded by a signed-in member is the one that reports a sign-out.
 */
@Component
class SessionExpiry implements VaadinServiceInitListener {

    static final String SIGNED_OUT_PAGE = "/login?expired";

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().setSystemMessagesProvider(SessionExpiry::messages);
    }

    static SystemMessages messages(SystemMessagesInfo info) {
        CustomizedSystemMessages messages = new CustomizedSystemMessages();
        messages.setSessionExpiredNotificationEnabled(false);
        VaadinRequest request = info.getRequest();
        if (request != null && request.getUserPrincipal() != null) {
            messages.setSessionExpiredURL(request.getContextPath() + SIGNED_OUT_PAGE);
        }
        return messages;
    }
}
