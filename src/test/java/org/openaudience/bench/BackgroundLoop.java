package org.openaudience.bench;

/**
 * A benchmark's background thread that loops until stopped: {@link #stop} waits for it to end and throws what failed
 * it, so a phase never reports figures over a loop that died.
 */
final class BackgroundLoop {

    /** The loop's body: runs until {@link #stopping()}. */
    @FunctionalInterface
    interface Body {
        void run(BackgroundLoop loop) throws InterruptedException;
    }

    private final Thread thread;
    private volatile boolean stopping;
    private volatile RuntimeException error;

    private BackgroundLoop(String name, Body body) {
        thread = new Thread(() -> {
            try {
                body.run(this);
            } catch (RuntimeException e) {
                error = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
    }

    static BackgroundLoop start(String name, Body body) {
        BackgroundLoop loop = new BackgroundLoop(name, body);
        loop.thread.start();
        return loop;
    }

    boolean stopping() {
        return stopping;
    }

    /** Asks the loop to stop, waits for it, and throws what failed it. */
    void stop() {
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (error != null) {
            throw error;
        }
    }
}
