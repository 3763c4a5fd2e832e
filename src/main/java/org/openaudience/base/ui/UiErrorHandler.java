package org.openaudience.base.ui;

import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import java.util.UUID;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Errors no view handled: those a user can cause become a clear toast; everything else is logged with a
 * reference the toast shows, so support can find it.
 */
@Component
class UiErrorHandler implements VaadinServiceInitListener {

    private static final Logger log = LoggerFactory.getLogger(UiErrorHandler.class);

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionInitListener(init -> init.getSession().setErrorHandler(this::handle));
    }

    private void handle(ErrorEvent event) {
        Throwable cause = rootUserError(event.getThrowable());
        if (cause instanceof AccessRefusedException || cause instanceof NotFoundException
                || cause instanceof InvalidRequestException) {
            Notifications.error(cause.getMessage());
            return;
        }
        if (cause instanceof OptimisticLockingFailureException) {
            Notifications.error("Someone else changed this meanwhile. Reload the page and try again.");
            return;
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("Unexpected error in the UI (reference {})", reference, event.getThrowable());
        Notifications.error("Something went wrong (reference " + reference + "). The details are in the server log.");
    }

    private static Throwable rootUserError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AccessRefusedException || t instanceof NotFoundException
                    || t instanceof InvalidRequestException || t instanceof OptimisticLockingFailureException) {
                return t;
            }
        }
        return error;
    }
}
