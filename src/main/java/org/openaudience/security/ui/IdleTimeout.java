package org.openaudience.security.ui;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Duration;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.stereotype.Component;

/**
 * Gives every HTTP session exactly the configured idle timeout ({@code openaudience.security.session-timeout}).
 * Tomcat keeps its default in whole minutes and rounds anything shorter up to one; a session's own limit is in
 * seconds, and Vaadin's idle check ({@code vaadin.closeIdleSessions}) reads that limit.
 */
@Component
class IdleTimeout implements HttpSessionListener {

    private final Duration timeout;

    IdleTimeout(ServerProperties server) {
        Duration configured = server.getServlet().getSession().getTimeout();
        if (configured == null || configured.toSeconds() < 1 || configured.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalStateException("openaudience.security.session-timeout must be between 1 second and "
                    + Integer.MAX_VALUE + " seconds, not " + configured);
        }
        this.timeout = configured;
    }

    /** How long a session may stay idle before its member is signed out. */
    Duration timeout() {
        return timeout;
    }

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        event.getSession().setMaxInactiveInterval((int) timeout.toSeconds());
    }
}
