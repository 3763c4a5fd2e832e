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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps active audiences' membership following the data and the clock. Profiles touched by committed ingestion
 * (events or user attributes) are collected and re-evaluated in micro-batches with the same compiler as the bulk
 * calculation, against each active audience of their workspace that the new data can affect: audiences with Users or
 * membership criteria see every touched profile, and so do event-only audiences a profile can match with none of
 * their events (Less than 1, Exactly 0, Between 0 and n, Exclude-only); other event-only audiences see only the
 * profiles that received events of their keys. Changes to the complete generation are logged with their cause.
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

    RealTimeMembership(TransactionTemplate transactions, Clock clock, MembershipWriter writer,
                       @Value("${openaudience.realtime.interval-ms:250}") long intervalMs) {
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

    /** Profiles of one workspace waiting for the next round, in all and by event key. */
    private record Touched(Set<Long> mpids, Map<String, Set<Long>> byEventKey) {
        Touched() {
            this(ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>());
        }

        void add(Set<Long> more, Map<String, Set<Long>> moreByKey) {
            mpids.addAll(more);
            moreByKey.forEach((key, ids) -> byEventKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                    .addAll(ids));
        }
    }

    @TransactionalEventListener
    public void onProfilesTouched(ProfilesTouched touched) {
        // merged inside compute, so a flush taking the workspace's set never loses a concurrent add
        pending.compute(touched.workspaceId(), (id, waiting) -> {
            Touched merged = waiting == null ? new Touched() : waiting;
            merged.add(touched.mpids(), touched.mpidsByEventKey());
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
                // audiences others point at first, so membership criteria see this round's changes
                List<Long> ids = writer.activeAudienceIds(workspaceId);
                for (Long audienceId : ids) {
                    reevaluate(audienceId, touched);
                }
            } catch (RuntimeException e) {
                pending.computeIfAbsent(workspaceId, id -> new Touched()).add(touched.mpids(), touched.byEventKey());
                throw e;
            }
        }
    }

    /** One audience in one transaction, under its row lock. */
    private void reevaluate(long audienceId, Touched touched) {
        transactions.executeWithoutResult(status -> {
            if (!writer.lockActive(audienceId)) {
                return;
            }
            Instant now = clock.instant();
            for (Map<String, Object> run : writer.runs(audienceId)) {
                boolean complete = "DONE".equals(run.get("status"));
                Definition definition = DefinitionJson.read((String) run.get("definition_json"));
                List<Long> mpids = affected(definition, touched, now).stream()
                        .filter(mpid -> complete || MembershipWriter.evaluatedAlready(run, mpid)).toList();
                if (!mpids.isEmpty()) {
                    writer.apply(audienceId, ((Number) run.get("workspace_id")).longValue(),
                            ((Number) run.get("generation")).intValue(), definition,
                            new ProfileScope.Profiles(mpids), complete ? "REALTIME" : null, now);
                }
            }
        });
    }

    /** The touched profiles whose verdict the new data can change. */
    private static Set<Long> affected(Definition definition, Touched touched, Instant now) {
        Set<String> keys = new HashSet<>();
        if (!eventKeysOnly(definition.root(), keys) || matchesWithoutEvents(definition, now)) {
            // a profile new to us, or one whose events are of other keys, may qualify too: all are evaluated
            return touched.mpids();
        }
        Set<Long> affected = new HashSet<>();
        keys.forEach(key -> affected.addAll(touched.byEventKey().getOrDefault(key, Set.of())));
        return affected;
    }

    /**
     * Whether a profile with none of the definition's events matches it (Less than 1, Exactly 0, Between 0 and n, an
     * Exclude-only group), decided by the in-memory evaluator, the SQL compiler's reference. Only asked of
     * definitions made of event criteria alone, so the profile's other facts do not matter.
     */
    static boolean matchesWithoutEvents(Definition definition, Instant now) {
        return Evaluator.evaluate(definition, WITHOUT_EVENTS, now).matches();
    }

    /** Collects the tree's event keys; false when it also has Users or membership criteria. */
    private static boolean eventKeysOnly(Group group, Set<String> keys) {
        for (Group.Item item : group.items()) {
            if (item.node() instanceof Group inner) {
                if (!eventKeysOnly(inner, keys)) {
                    return false;
                }
            } else if (item.node() instanceof EventCriterion event) {
                keys.add(ProfilesTouched.eventKey(event.kind().eventType(), event.eventKey()));
            } else {
                return false;
            }
        }
        return true;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
