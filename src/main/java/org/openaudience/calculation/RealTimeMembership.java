package org.openaudience.calculation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.Evaluator;
import org.openaudience.criteria.ProfileFacts;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.UserField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps active audiences' membership following the data and the clock. Profiles touched by committed ingestion
 * (events or user attributes) are collected and re-evaluated in micro-batches with the same compiler as the bulk
 * calculation, against each active audience of their workspace that the new data can affect (see {@link #affected}):
 * the profiles that received an event one of its event criteria could count, those created or with new facts where
 * it reads Users criteria or matches a profile with none of its events (Less than 1, Exactly 0, Between 0 and n,
 * Exclude-only), and every touched profile where it reads the last-seen time or other audiences' membership. Changes
 * to the complete generation are logged with their cause.
 * While a recalculation runs, its new generation follows the data too, for the buckets it has already done (and for
 * profiles newer than its MPID span); the swap logs those. Time passing is {@link TimeSweep}'s.
 */
@Service
public class RealTimeMembership {

    private static final Logger log = LoggerFactory.getLogger(RealTimeMembership.class);
    /** A profile with no events, for {@link #matchesWithoutEvents}. */
    private static final ProfileFacts WITHOUT_EVENTS = new ProfileFacts(0, JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), null, null, null, Instant.EPOCH, Instant.EPOCH, List.of());

    private final MembershipWriter writer;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<Long, Touched> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker;
    /** A round at least this long is logged with where its time went: real time is then behind by as much. */
    private final long slowRoundNanos;

    RealTimeMembership(TransactionTemplate transactions, Clock clock, MembershipWriter writer,
                       @Value("${openaudience.realtime.interval-ms:250}") long intervalMs,
                       @Value("${openaudience.realtime.slow-round-ms:1000}") long slowRoundMs) {
        this.slowRoundNanos = TimeUnit.MILLISECONDS.toNanos(slowRoundMs);
        this.writer = writer;
        this.transactions = transactions;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "real-time-membership");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::flushSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @TransactionalEventListener
    public void onProfilesTouched(ProfilesTouched touched) {
        // merged inside compute, so a flush taking the workspace's set never loses a concurrent add
        pending.compute(touched.workspaceId(), (id, waiting) -> {
            Touched merged = waiting == null ? new Touched() : waiting;
            merged.add(touched.mpids(), touched.mpidsWithNewFacts(), touched.eventsByKey());
            return merged;
        });
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.error("Real-time membership update failed; the profiles are retried in the next round", e);
        }
    }

    /** Re-evaluates every profile touched since the last round. */
    public synchronized void flush() {
        for (Long workspaceId : new ArrayList<>(pending.keySet())) {
            Touched touched = pending.remove(workspaceId);
            if (touched == null || touched.mpids().isEmpty()) {
                continue;
            }
            try {
                long start = System.nanoTime();
                // audiences others point at first, so membership criteria see this round's changes
                List<Long> ids = writer.activeAudienceIds(workspaceId);
                long slowestNanos = -1;
                long slowestLockNanos = 0;
                long slowest = 0;
                for (Long audienceId : ids) {
                    long began = System.nanoTime();
                    long lockNanos = reevaluate(audienceId, touched);
                    long tookNanos = System.nanoTime() - began;
                    if (tookNanos > slowestNanos) {
                        slowestNanos = tookNanos;
                        slowestLockNanos = lockNanos;
                        slowest = audienceId;
                    }
                }
                long roundNanos = System.nanoTime() - start;
                if (roundNanos >= slowRoundNanos) {
                    log.warn("Real-time round of workspace {} took {} ms for {} touched profiles and {} active"
                                    + " audiences; the slowest, audience {}, took {} ms, {} ms of it waiting for"
                                    + " its lock",
                            workspaceId, roundNanos / 1_000_000, touched.mpids().size(), ids.size(), slowest,
                            slowestNanos / 1_000_000, slowestLockNanos / 1_000_000);
                }
            } catch (RuntimeException e) {
                pending.computeIfAbsent(workspaceId, id -> new Touched()).add(touched);
                throw e;
            }
        }
    }

    /**
     * One audience in one transaction, under its row lock. Which touched profiles each definition can affect is
     * worked out before the lock (read from the runs as they were a moment earlier; a definition that changed
     * meanwhile is worked out under the lock): with tens of thousands of new events a round, that check would
     * otherwise hold up the audience's calculation steps, which take the same lock.
     *
     * @return nanoseconds spent waiting for the audience's lock
     */
    private long reevaluate(long audienceId, Touched touched) {
        Instant before = clock.instant();
        Map<String, Set<Long>> affectedByDefinition = new java.util.HashMap<>();
        for (Map<String, Object> run : writer.runs(audienceId)) {
            affectedByDefinition.computeIfAbsent((String) run.get("definition_json"),
                    json -> affected(DefinitionJson.read(json), touched, before));
        }
        long[] lockNanos = new long[1];
        transactions.executeWithoutResult(status -> {
            long asked = System.nanoTime();
            boolean active = writer.lockActive(audienceId);
            lockNanos[0] = System.nanoTime() - asked;
            if (!active) {
                return;
            }
            // read under the lock, so a sweep that committed before is never undone by an earlier instant (the
            // affected set leaves windows and relative dates aside: those are the sweep's)
            Instant now = clock.instant();
            for (Map<String, Object> run : writer.runs(audienceId)) {
                boolean complete = "DONE".equals(run.get("status"));
                String json = (String) run.get("definition_json");
                Definition definition = DefinitionJson.read(json);
                List<Long> mpids = affectedByDefinition.computeIfAbsent(json,
                                changed -> affected(definition, touched, now)).stream()
                        .filter(mpid -> complete || MembershipWriter.evaluatedAlready(run, mpid)).toList();
                if (!mpids.isEmpty()) {
                    // where new events cannot make a member leave, members with no new facts are left as they are
                    java.util.function.LongPredicate mayLeave = Evaluator.newEventsOnlyAdd(definition)
                            ? touched.withNewFacts()::contains : mpid -> true;
                    writer.apply(audienceId, ((Number) run.get("workspace_id")).longValue(),
                            ((Number) run.get("generation")).intValue(), definition,
                            new ProfileScope.Profiles(mpids), complete ? "REALTIME" : null, now, mayLeave);
                }
            }
        });
        return lockNanos[0];
    }

    /**
     * The touched profiles whose verdict the new data can change: those that received an event one of the
     * definition's event criteria could count (its key, input and attribute conditions; the window aside, see
     * {@link Evaluator#couldCount}), and, where Users criteria are read (or a profile with none of the events
     * matches), those created or with new facts. A verdict reading the last-seen time or other audiences' membership
     * can change with any touch.
     */
    static Set<Long> affected(Definition definition, Touched touched, Instant now) {
        Reads reads = new Reads();
        reads.collect(definition.root());
        if (reads.anyTouch) {
            return touched.mpids();
        }
        Set<Long> affected = new HashSet<>();
        for (EventCriterion criterion : reads.eventCriteria) {
            affected.addAll(touched.candidates(ProfilesTouched.eventKey(criterion.kind().eventType(),
                    criterion.eventKey()), criterion, definition, now));
        }
        if (reads.profileFacts || matchesWithoutEvents(definition, now)) {
            // a profile new to us may qualify with none of the events; created profiles are among the new facts
            affected.addAll(touched.withNewFacts());
        }
        return affected;
    }

    /**
     * Whether a profile with none of the definition's events matches it (Less than 1, Exactly 0, Between 0 and n, an
     * Exclude-only group), decided by the in-memory evaluator, the SQL compiler's reference. Asked with an empty
     * profile, so Users criteria on it are false.
     */
    static boolean matchesWithoutEvents(Definition definition, Instant now) {
        return Evaluator.evaluate(definition, WITHOUT_EVENTS, now).matches();
    }

    /** What a definition's verdict reads, collected from its tree. */
    private static final class Reads {
        final List<EventCriterion> eventCriteria = new ArrayList<>();
        /** Users criteria other than the last-seen time. */
        boolean profileFacts;
        /** The last-seen time or membership: every touch can change the verdict. */
        boolean anyTouch;

        void collect(Group group) {
            for (Group.Item item : group.items()) {
                if (item.node() instanceof Group inner) {
                    collect(inner);
                } else if (item.node() instanceof EventCriterion event) {
                    eventCriteria.add(event);
                } else if (item.node() instanceof UserCriterion user && user.field() != UserField.LAST_SEEN) {
                    profileFacts = true;
                } else {
                    anyTouch = true;
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
