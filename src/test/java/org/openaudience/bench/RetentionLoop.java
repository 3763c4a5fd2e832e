package org.openaudience.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.openaudience.event.RetentionSweep;

/** Keeps the retention sweep running over one workspace, sweep after sweep, until stopped (for IngestBenchmark). */
final class RetentionLoop {

    private final RetentionSweep retention;
    private final long workspaceId;
    private final AtomicLong sweeps = new AtomicLong();
    private final AtomicLong sweepNanos = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private BackgroundLoop background;

    RetentionLoop(RetentionSweep retention, long workspaceId) {
        this.retention = retention;
        this.workspaceId = workspaceId;
    }

    void start() {
        background = BackgroundLoop.start("bench-retention", loop -> {
            while (!loop.stopping()) {
                long started = System.nanoTime();
                // a sweep runs to its end: stopping waits for the one under way
                removed.addAndGet(retention.sweepWorkspace(workspaceId, Duration.ofDays(90)));
                sweepNanos.addAndGet(System.nanoTime() - started);
                sweeps.incrementAndGet();
            }
        });
    }

    void stop() {
        background.stop();
    }

    long sweeps() {
        return sweeps.get();
    }

    double averageSeconds() {
        return sweeps.get() == 0 ? Double.NaN : sweepNanos.get() / 1e9 / sweeps.get();
    }

    long removed() {
        return removed.get();
    }
}
