package org.openaudience.security.ui;

import com.vaadin.flow.server.CustomizedSystemMessages;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.SystemMessages;
import com.vaadin.flow.server.SystemMessagesInfo;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.WrappedSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Idle sessions end after {@code server.servlet.session.timeout} even with a tab open ({@code vaadin.closeIdleSessions}:
 * the heartbeat of an open tab does not count as activity), and end as a sign-out. A page then goes, without a
 * notification to click away, to the login page that says why ({@code /login?expired}); the login page itself just
 * reloads. Pages learn which at load time, so a page loaded by a signed-in member is the one that reports a sign-out.
 */
@Component
class SessionExpiry implements VaadinServiceInitListener {

    static final String SIGNED_OUT_PAGE = "/login?expired";

    private static final Logger log = LoggerFactory.getLogger(SessionExpiry.class);

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().setSystemMessagesProvider(SessionExpiry::messages);
        event.getSource().addSessionDestroyListener(destroyed -> signOut(destroyed.getSession()));
    }

    /**
     * Vaadin closes an idle session by dropping its own state only; the HTTP session, and with it the signed-in
     * member, would live on. Ending it signs the member out. When the HTTP session is what is ending (timeout,
     * logout), ending it again does nothing.
     */
    static void signOut(VaadinSession closed) {
        WrappedSession http = closed.getSession();
        if (http == null) {
            return;
        }
        try {
            http.invalidate();
        } catch (IllegalStateException alreadyEnded) {
            // the HTTP session ended first (a logout invalidated it, or it timed out): the member is signed out
            log.debug("Session {} had already ended", closed, alreadyEnded);
        }
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
