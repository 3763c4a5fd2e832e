package org.openaudience.livestream;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.openaudience.security.MemberDirectory;
import org.openaudience.security.RecheckedAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Hands ingested events to open Live Stream pages without slowing ingestion: the ingest path only offers events to
 * one bounded, non-blocking queue (and not even that when nobody of the workspace watches); a single dispatcher
 * thread drains it a few times a second and fans out to the subscribed pages, sampling when there are more events
 * than a browser can show. Full queue: events are dropped from the stream (never from storage) and counted.
 *
 * <p>A page stays subscribed only while its member may watch: every dispatch re-checks each watching member's role
 * and workspaces, read from the database at most once per {@code access-recheck} per member, and ends the
 * subscriptions of members deactivated, given a role without the Live Stream or taken out of the workspace. Members
 * whose role may not look up users get every row {@link StreamEvent#withoutIdentities() without identities}.
 */
@Service
public class LiveStreamHub {

    /** Rows a page can take in one dispatch before the hub samples. */
    static final int MAX_PER_DISPATCH = 50;

    private static final Logger log = LoggerFactory.getLogger(LiveStreamHub.class);

    private final ArrayBlockingQueue<StreamEvent> queue;
    /** Workspace id → its subscribed pages → the email of the member each belongs to. */
    private final Map<Long, Map<StreamListener, String>> listeners = new ConcurrentHashMap<>();
    /** What each watching member may do, as last read from the database. */
    private final AtomicLong dropped = new AtomicLong();
    private final AccessGuard guard;
    private final Clock clock;
    private final RecheckedAccess access;
    private final ScheduledExecutorService dispatcher;

    LiveStreamHub(AccessGuard guard, MemberDirectory members, Clock clock,
                  @Value("${openaudience.livestream.buffer:10000}") int capacity,
                  @Value("${openaudience.livestream.dispatch-interval-ms:200}") long intervalMs,
                  @Value("${openaudience.livestream.access-recheck:5s}") Duration accessRecheck) {
        this.guard = guard;
        this.clock = clock;
        this.access = new RecheckedAccess(members, accessRecheck);
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
        Map<StreamListener, String> watching = listeners.get(workspaceId);
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
        MemberAccess member = guard.require(Capability.WATCH_LIVE_STREAM, workspaceId);
        access.remember(member, clock.instant());
        listeners.compute(workspaceId, (id, watching) -> {
            Map<StreamListener, String> subscribed = watching == null ? new ConcurrentHashMap<>() : watching;
            subscribed.put(listener, member.email());
            return subscribed;
        });
    }

    public void unsubscribe(long workspaceId, StreamListener listener) {
        listeners.computeIfPresent(workspaceId, (id, watching) -> {
            watching.remove(listener);
            return watching.isEmpty() ? null : watching;
        });
    }

    public int subscriberCount() {
        return listeners.values().stream().mapToInt(Map::size).sum();
    }

    /** Events the stream could not take because the queue was full (they were stored all the same). */
    public long droppedCount() {
        return dropped.get();
    }

    /**
     * Ends the subscriptions whose member may no longer watch, then drains the queue and delivers; the dispatcher
     * thread does this every few hundred milliseconds.
     */
    public synchronized void dispatch() {
        endRefusedSubscriptions();
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
            Map<StreamListener, String> watching = listeners.get(workspaceId);
            if (watching == null || watching.isEmpty()) {
                return;
            }
            int rate = Math.max(1, (events.size() + MAX_PER_DISPATCH - 1) / MAX_PER_DISPATCH);
            List<StreamEvent> sample = rate == 1 ? events : every(events, rate);
            List<StreamEvent> withoutIdentities = null;
            for (Map.Entry<StreamListener, String> subscription : watching.entrySet()) {
                if (mayLookUpUsers(subscription.getValue())) {
                    subscription.getKey().onEvents(sample, rate);
                } else {
                    if (withoutIdentities == null) {
                        withoutIdentities = sample.stream().map(StreamEvent::withoutIdentities).toList();
                    }
                    subscription.getKey().onEvents(withoutIdentities, rate);
                }
            }
        });
    }

    private void endRefusedSubscriptions() {
        Instant now = clock.instant();
        Set<String> watchingMembers = new HashSet<>();
        listeners.forEach((workspaceId, watching) -> watching.forEach((listener, email) -> {
            watchingMembers.add(email);
            refusal(access.of(email, now), workspaceId).ifPresent(reason -> {
                unsubscribe(workspaceId, listener);
                listener.onAccessEnded(reason);
            });
        }));
        access.keepOnly(watchingMembers);
    }

    private static Optional<String> refusal(Optional<MemberAccess> access, long workspaceId) {
        if (access.isEmpty()) {
            return Optional.of("your account is no longer active");
        }
        MemberAccess member = access.get();
        if (!member.can(Capability.WATCH_LIVE_STREAM)) {
            return Optional.of("your role (" + member.role().label() + ") does not include the Live Stream");
        }
        return RecheckedAccess.workspaceRefusal(access, workspaceId);
    }

    /** Identities are personal data: only roles that may look up users see them (fail closed when unknown). */
    private boolean mayLookUpUsers(String email) {
        return access.can(email, Capability.LOOK_UP_USERS);
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
