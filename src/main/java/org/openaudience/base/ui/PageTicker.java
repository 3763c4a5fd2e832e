package org.openaudience.base.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.server.Command;
import com.vaadin.flow.shared.Registration;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Refreshes parts of open pages on a schedule and pushes the result (the app shell has {@code @Push}): one shared
 * thread hands each tick to its page's UI with {@link UI#access}. A tick runs as the member who opened the page
 * (the security context captured when it was scheduled), so it calls services like a click would; services still
 * check the member's rights on every call. Ticks stop when cancelled or once the page is gone.
 */
@Component
public class PageTicker {

    private static final Logger log = LoggerFactory.getLogger(PageTicker.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "page-ticker");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Runs {@code tick} in the UI every {@code period}, starting one period from now; call on the UI's thread (the
     * signed-in member's context is taken from it).
     */
    public Registration every(UI ui, Duration period, Command tick) {
        SecurityContext member = SecurityContextHolder.createEmptyContext();
        member.setAuthentication(SecurityContextHolder.getContext().getAuthentication());
        AtomicReference<ScheduledFuture<?>> scheduled = new AtomicReference<>();
        scheduled.set(scheduler.scheduleAtFixedRate(() -> {
            try {
                ui.access(() -> asMember(member, tick));
            } catch (UIDetachedException gone) {
                scheduled.get().cancel(false); // the tab closed without a detach event reaching this page
            } catch (RuntimeException e) {
                log.warn("A page tick could not be handed to its UI", e); // keep ticking for the other pages
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
        return () -> scheduled.get().cancel(false);
    }

    private static void asMember(SecurityContext member, Command tick) {
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContextHolder.setContext(member);
        try {
            tick.execute();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
