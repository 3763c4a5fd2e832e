package org.openaudience.base;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether the application is closing, for background sweeps that run for minutes: they stop between two chunks
 * instead of holding up the shutdown (30 s) and then failing on the closed connection pool. Set when the context
 * starts closing, before the scheduler is asked to stop.
 */
@Component
public class AppShutdown {

    private volatile boolean closing;

    @EventListener(ContextClosedEvent.class)
    void contextClosing() {
        closing = true;
    }

    /** The application is closing: stop at the next chunk, leaving the rest to the next start. */
    public boolean closing() {
        return closing;
    }
}
