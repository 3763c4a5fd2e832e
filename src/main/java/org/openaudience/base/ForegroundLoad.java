package org.openaudience.base;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Whether work someone waits for (an Events API request) ran a moment ago, so that background work (calculations)
 * can leave it the machine: on two cores a full recalculation running back to back took 45 % of ingestion's rate.
 * Monotonic time, not the app's clock: this is about the machine, not about the data.
 */
@Component
public class ForegroundLoad {

    /** How long after the last foreground work the machine counts as busy. */
    static final Duration RECENT = Duration.ofSeconds(1);

    private final AtomicLong lastWork = new AtomicLong(System.nanoTime() - RECENT.toNanos() * 2);

    /** Foreground work is running now. */
    public void working() {
        lastWork.set(System.nanoTime());
    }

    public boolean busy() {
        return System.nanoTime() - lastWork.get() < RECENT.toNanos();
    }
}
