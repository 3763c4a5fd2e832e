package org.openaudience.livestream;

import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Hands ingested events to open Live Stream pages without slowing ingestion: the ingest path only offers events to
 * one bounded, non-blocking queue (and not even that when nobody of the workspace watches); a single dispatcher
 * thread drains it a few times a second and fans out to the subscribed pages, sampling when there are more events
 * than a browser can show. Full queue: events are dropped from the stream (never from storage) and counted.
 */
@Service
public class LiveStreamHub {

    /** Rows a page can take in one dispatch before the hub samples. */
    static final int MAX_PER_DISPATCH = 50;

    private static final Logger log = LoggerFactory.getLogger(LiveStreamHub.class);

    private final ArrayBlockingQueue<StreamEvent> queue;
    private final Map<Long, Set<StreamListener>> listeners = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AccessGuard guard;
    private final ScheduledExecutorService dispatcher;

    LiveStreamHub(AccessGuard guard, @Value("${openaudience.livestream.buffer:10000}") int capacity,
                  @Value("${openaudience.livestream.dispatch-interval-ms:200}") long intervalMs) {
        this.guard = guard;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "live-stream-dispatcher");
            thread.setDaemon(true);
            return thread;
        });
        dispatcher.scheduleWithFixedDelay(this::dispatchSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** True when someone watches the workspace; the ingest path skips building stream rows otherwise. */
    public boolean isWatched(long workspaceId) {
        Set<StreamListener> watching = listeners.get(workspaceId);
        return watching != null && !watching.isEmpty();
    }

    /** Non-blocking; called by ingestion after its transaction committed. */
    public void publish(List<StreamEvent> events) {
        for (StreamEvent event : events) {
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
            }
        }
    }

    /** Subscribes a page to a workspace its member may use, if their role may watch the stream. */
    public void subscribe(long workspaceId, StreamListener listener) {
        guard.require(Capability.WATCH_LIVE_STREAM, workspaceId);
        listeners.computeIfAbsent(workspaceId, id -> new CopyOnWriteArraySet<>()).add(listener);
    }

    public void unsubscribe(long workspaceId, StreamListener listener) {
        Set<StreamListener> watching = listeners.get(workspaceId);
        if (watching != null) {
            watching.remove(listener);
            if (watching.isEmpty()) {
                listeners.remove(workspaceId, watching);
            }
        }
    }

    public int subscriberCount() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    /** Events the stream could not take because the queue was full (they were stored all the same). */
    public long droppedCount() {
        return dropped.get();
    }

    /** Drains the queue and delivers now; the dispatcher thread does this every few hundred milliseconds. */
    public synchronized void dispatch() {
        List<StreamEvent> drained = new ArrayList<>(queue.size());
        queue.drainTo(drained);
        if (drained.isEmpty()) {
            return;
        }
        Map<Long, List<StreamEvent>> byWorkspace = new HashMap<>();
        for (StreamEvent event : drained) {
            byWorkspace.computeIfAbsent(event.workspaceId(), id -> new ArrayList<>()).add(event);
        }
        byWorkspace.forEach((workspaceId, events) -> {
            Set<StreamListener> watching = listeners.get(workspaceId);
            if (watching == null || watching.isEmpty()) {
                return;
            }
            int rate = Math.max(1, (events.size() + MAX_PER_DISPATCH - 1) / MAX_PER_DISPATCH);
            List<StreamEvent> sample = rate == 1 ? events : every(events, rate);
            for (StreamListener listener : watching) {
                listener.onEvents(sample, rate);
            }
        });
    }

    private void dispatchSafely() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            log.error("Live Stream dispatch failed; the stream continues with the next events", e);
        }
    }

    private static List<StreamEvent> every(List<StreamEvent> events, int rate) {
        List<StreamEvent> sample = new ArrayList<>(events.size() / rate + 1);
        for (int i = 0; i < events.size(); i += rate) {
            sample.add(events.get(i));
        }
        return sample;
    }

    @PreDestroy
    void stop() {
        dispatcher.shutdownNow();
    }
}
