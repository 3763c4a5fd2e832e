package org.openaudience.audience;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openaudience.calculation.MembershipChanged;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.openaudience.security.MemberDirectory;
import org.openaudience.security.RecheckedAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Pushes committed membership changes to open Changes tabs without slowing the writers: a commit that logged changes
 * of a watched audience only marks it (one set insert, nothing when nobody watches); a single dispatcher thread reads
 * each marked audience's new log entries a few times a second — the newest {@link #MAX_PER_DISPATCH}, with counts of
 * the rest — adds identities once, and hands them to the audience's tabs.
 *
 * <p>A tab stays subscribed only while its member may see the audience: every dispatch re-checks each watching
 * member's account and workspaces, read from the database at most once per {@code access-recheck} per member, and
 * ends the subscriptions of members deactivated or taken out of the workspace. Members whose role may not look up
 * users get every row {@link MembershipChangeRow#withoutIdentities() without identities}.
 */
@Service
public class MembershipChangeHub {

    /** Rows a tab gets in one dispatch; older changes of the same dispatch are counted, not listed. */
    public static final int MAX_PER_DISPATCH = 50;

    private static final Logger log = LoggerFactory.getLogger(MembershipChangeHub.class);

    private final AudienceRepository audiences;
    private final MembershipChangeLog changeLog;
    private final AccessGuard guard;
    private final Clock clock;
    private final RecheckedAccess access;
    private final ScheduledExecutorService dispatcher;
    /** Audience id → its watchers and how far they have been served. */
    private final Map<Long, Watched> watched = new ConcurrentHashMap<>();
    /** Watched audiences with committed changes not yet dispatched. */
    private final Set<Long> marked = ConcurrentHashMap.newKeySet();

    /** One watched audience: its workspace, the last change id dispatched, and its tabs with their member's email. */
    private record Watched(long workspaceId, AtomicLong cursor, Map<MembershipChangeListener, String> listeners) {
    }

    MembershipChangeHub(AudienceRepository audiences, MembershipChangeLog changeLog, AccessGuard guard,
                        MemberDirectory members, Clock clock,
                        @Value("${openaudience.membership-feed.dispatch-interval-ms:250}") long intervalMs,
                        @Value("${openaudience.membership-feed.access-recheck:5s}") Duration accessRecheck) {
        this.audiences = audiences;
        this.changeLog = changeLog;
        this.guard = guard;
        this.clock = clock;
        this.access = new RecheckedAccess(members, accessRecheck);
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "membership-feed-dispatcher");
            thread.setDaemon(true);
            return thread;
        });
        dispatcher.scheduleWithFixedDelay(this::dispatchSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** After the writer's commit, on its thread: marks a watched audience, nothing more. */
    @TransactionalEventListener
    public void onMembershipChanged(MembershipChanged changed) {
        if (watched.containsKey(changed.audienceId())) {
            marked.add(changed.audienceId());
        }
    }

    /**
     * Subscribes a tab to an audience its member may see; it hears of changes committed from now on. Other
     * workspaces' audiences do not exist for the member ({@link org.openaudience.base.NotFoundException}).
     */
    public void subscribe(long audienceId, MembershipChangeListener listener) {
        Audience audience = audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
        MemberAccess member = guard.requireWorkspace(audience.workspaceId(),
                () -> AudienceService.notFound(audienceId));
        access.remember(member, clock.instant());
        long lastId = changeLog.lastId(audienceId); // read outside compute, which holds the map's bin lock
        watched.compute(audienceId, (id, existing) -> {
            Watched watching = existing != null ? existing : new Watched(audience.workspaceId(),
                    new AtomicLong(lastId), new ConcurrentHashMap<>());
            watching.listeners().put(listener, member.email());
            return watching;
        });
        // a change committed while the cursor was read may have found the audience not yet watched
        marked.add(audienceId);
    }

    public void unsubscribe(long audienceId, MembershipChangeListener listener) {
        watched.computeIfPresent(audienceId, (id, watching) -> {
            watching.listeners().remove(listener);
            return watching.listeners().isEmpty() ? null : watching;
        });
    }

    public int subscriberCount() {
        return watched.values().stream().mapToInt(watching -> watching.listeners().size()).sum();
    }

    /** Ends refused subscriptions, then serves each marked audience; the dispatcher thread does this every 250 ms. */
    public synchronized void dispatch() {
        endRefusedSubscriptions();
        for (Long audienceId : new ArrayList<>(marked)) {
            marked.remove(audienceId);
            try {
                serve(audienceId);
            } catch (RuntimeException e) {
                // the cursor only moves once the rows are read: the next dispatch tries again
                marked.add(audienceId);
                log.error("Membership feed of audience {} failed; retried with the next dispatch", audienceId, e);
            }
        }
    }

    private void serve(long audienceId) {
        Watched watching = watched.get(audienceId);
        if (watching == null || watching.listeners().isEmpty()) {
            return;
        }
        MembershipChangeLog.Batch batch = changeLog.after(audienceId, watching.cursor().get(), MAX_PER_DISPATCH);
        if (batch.rows().isEmpty()) {
            return;
        }
        List<MembershipChangeRow> rows = changeLog.withIdentities(watching.workspaceId(), batch.rows());
        watching.cursor().set(batch.lastId());
        List<MembershipChangeRow> withoutIdentities = null;
        for (Map.Entry<MembershipChangeListener, String> subscription : watching.listeners().entrySet()) {
            List<MembershipChangeRow> visible;
            if (mayLookUpUsers(subscription.getValue())) {
                visible = rows;
            } else {
                if (withoutIdentities == null) {
                    withoutIdentities = rows.stream().map(MembershipChangeRow::withoutIdentities).toList();
                }
                visible = withoutIdentities;
            }
            try {
                subscription.getKey().onChanges(visible, batch.notShownAdds(), batch.notShownDrops());
            } catch (RuntimeException e) {
                log.warn("A Changes tab of audience {} failed to take changes", audienceId, e);
            }
        }
    }

    private void endRefusedSubscriptions() {
        Instant now = clock.instant();
        Set<String> watchingMembers = new HashSet<>();
        watched.forEach((audienceId, watching) -> watching.listeners().forEach((listener, email) -> {
            watchingMembers.add(email);
            RecheckedAccess.workspaceRefusal(access.of(email, now), watching.workspaceId()).ifPresent(reason -> {
                unsubscribe(audienceId, listener);
                listener.onAccessEnded(reason);
            });
        }));
        access.keepOnly(watchingMembers);
    }

    /** Identities are personal data: only roles that may look up users see them (fail closed when unknown). */
    private boolean mayLookUpUsers(String email) {
        return access.can(email, Capability.LOOK_UP_USERS);
    }

    private void dispatchSafely() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            log.error("Membership feed dispatch failed; the feed continues with the next changes", e);
        }
    }

    @PreDestroy
    void stop() {
        dispatcher.shutdownNow();
    }
}
