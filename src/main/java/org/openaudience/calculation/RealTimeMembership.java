package org.openaudience.calculation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.Evaluator;
import org.openaudience.criteria.ProfileFacts;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps active audiences' membership following the data. Profiles touched by committed ingestion are collected and
 * re-evaluated in micro-batches with the same compiler as the bulk calculation, against each active audience of
 * their workspace that the new data can affect: audiences with Users or membership criteria see every touched
 * profile, and so do event-only audiences a profile can match with none of their events (Less than 1, Exactly 0,
 * Between 0 and n, Exclude-only); other event-only audiences see only the profiles that received events of their
 * keys. Changes to the
 * complete generation are logged with their cause. While a recalculation runs, its new generation follows the data
 * too, for the buckets it has already done (and for profiles newer than its MPID span); the swap logs those.
 * A sweep re-evaluates current members so those whose events left the window drop out.
 */
@Service
public class RealTimeMembership {

    static final int SWEEP_CHUNK = 5_000;
    private static final Logger log = LoggerFactory.getLogger(RealTimeMembership.class);
    /** A profile with no events, for {@link #matchesWithoutEvents}. */
    private static final ProfileFacts WITHOUT_EVENTS = new ProfileFacts(0, JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), null, null, null, Instant.EPOCH, Instant.EPOCH, List.of());

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<Long, Touched> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker;

    RealTimeMembership(JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
                       @Value("${openaudience.realtime.interval-ms:250}") long intervalMs) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "real-time-membership");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::flushSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Profiles of one workspace waiting for the next round, in all and by event key; without keys (the expiry
     * sweep) every audience re-evaluates all of them.
     */
    private record Touched(Set<Long> mpids, Map<String, Set<Long>> byEventKey) {
        Touched() {
            this(ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>());
        }

        static Touched all(Set<Long> mpids) {
            return new Touched(mpids, null);
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
                List<Long> ids = activeAudienceIds(workspaceId);
                for (Long audienceId : ids) {
                    reevaluate(audienceId, touched, "REALTIME");
                }
            } catch (RuntimeException e) {
                pending.computeIfAbsent(workspaceId, id -> new Touched()).add(touched.mpids(), touched.byEventKey());
                throw e;
            }
        }
    }

    /**
     * Re-evaluates each active audience's members (chunks of {@link #SWEEP_CHUNK}), so members whose qualifying
     * events aged out of the window leave without anyone editing anything.
     */
    @Scheduled(initialDelayString = "${openaudience.realtime.sweep-initial-delay:PT2M}",
            fixedDelayString = "${openaudience.realtime.sweep-interval:PT10M}")
    public void sweepExpired() {
        for (Long audienceId : activeAudienceIds(null)) {
            try {
                sweep(audienceId);
            } catch (RuntimeException e) {
                // one broken audience must not keep the others' members from expiring
                log.error("Expiry sweep of audience {} failed; it is retried in the next sweep", audienceId, e);
            }
        }
    }

    private void sweep(long audienceId) {
        long after = Long.MIN_VALUE;
        List<Long> chunk;
        do {
            chunk = jdbc.sql("""
                            SELECT m.mpid FROM audience_member m WHERE m.audience_id = ? AND m.mpid > ?
                            AND m.generation = (SELECT MAX(generation) FROM calculation_run
                                                WHERE audience_id = ? AND status = 'DONE')
                            ORDER BY m.mpid LIMIT ?""")
                    .params(audienceId, after, audienceId, SWEEP_CHUNK).query(Long.class).list();
            if (!chunk.isEmpty()) {
                reevaluate(audienceId, Touched.all(new HashSet<>(chunk)), "EXPIRY");
                after = chunk.get(chunk.size() - 1);
            }
        } while (chunk.size() == SWEEP_CHUNK);
    }

    /** Active audiences, those without membership criteria first. */
    private List<Long> activeAudienceIds(Long workspaceId) {
        return jdbc.sql("SELECT id FROM audience WHERE status = 'ACTIVE' AND (? IS NULL OR workspace_id = ?)"
                        + " ORDER BY definition_json LIKE '%\"membership\"%', id")
                .params(workspaceId, workspaceId).query(Long.class).list();
    }

    /**
     * One audience in one transaction, under its row lock (the calculation takes the same lock first), so a swap
     * or a bucket never interleaves with this.
     */
    private void reevaluate(long audienceId, Touched touched, String cause) {
        transactions.executeWithoutResult(status -> {
            List<String> locked = jdbc.sql("SELECT status FROM audience WHERE id = ? FOR UPDATE").param(audienceId)
                    .query(String.class).list();
            if (locked.isEmpty() || !"ACTIVE".equals(locked.get(0))) {
                return;
            }
            Instant now = clock.instant();
            for (Map<String, Object> run : jdbc.sql("""
                            SELECT * FROM calculation_run WHERE audience_id = ? AND (status = 'RUNNING'
                                OR generation = (SELECT MAX(generation) FROM calculation_run
                                                 WHERE audience_id = ? AND status = 'DONE'))""")
                    .params(audienceId, audienceId).query().listOfRows()) {
                boolean complete = "DONE".equals(run.get("status"));
                Definition definition = DefinitionJson.read((String) run.get("definition_json"));
                List<Long> mpids = affected(definition, touched, now).stream()
                        .filter(mpid -> complete || evaluatedAlready(run, mpid)).toList();
                if (!mpids.isEmpty()) {
                    apply(audienceId, ((Number) run.get("workspace_id")).longValue(),
                            ((Number) run.get("generation")).intValue(), definition, mpids,
                            complete ? cause : null, now);
                }
            }
        });
    }

    /** The touched profiles whose verdict the new data can change. */
    private static Set<Long> affected(Definition definition, Touched touched, Instant now) {
        Set<String> keys = new HashSet<>();
        if (touched.byEventKey() == null || !eventKeysOnly(definition.root(), keys)
                || matchesWithoutEvents(definition, now)) {
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

    /** Whether a running calculation has passed this profile (or will never reach it: newer than its span). */
    private static boolean evaluatedAlready(Map<String, Object> run, long mpid) {
        int done = ((Number) run.get("buckets_done")).intValue();
        long min = ((Number) run.get("mpid_min")).longValue();
        long max = ((Number) run.get("mpid_max")).longValue();
        return mpid < min || mpid > max || (done > 0 && mpid <= CalculationEngine.bucket(run, done - 1).to());
    }

    /** Evaluates the profiles against one generation and applies the differences; logged when cause is given. */
    private void apply(long audienceId, long workspaceId, int generation, Definition definition, List<Long> mpids,
                       String cause, Instant now) {
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, new ProfileScope.Profiles(mpids), now);
        Set<Long> qualifying = new HashSet<>(jdbc.sql(query.statement(query.sql())).params(query.parameters()).query(Long.class)
                .list());
        Set<Long> members = new HashSet<>(jdbc.sql("SELECT mpid FROM audience_member WHERE audience_id = :id"
                        + " AND generation = :generation AND mpid IN (:mpids)")
                .param("id", audienceId).param("generation", generation).param("mpids", mpids)
                .query(Long.class).list());
        List<Long> adds = qualifying.stream().filter(mpid -> !members.contains(mpid)).sorted().toList();
        List<Long> removes = members.stream().filter(mpid -> !qualifying.contains(mpid)).sorted().toList();
        if (adds.isEmpty() && removes.isEmpty()) {
            return;
        }
        for (Long mpid : adds) {
            jdbc.sql("INSERT IGNORE INTO audience_member (audience_id, generation, mpid) VALUES (?, ?, ?)")
                    .params(audienceId, generation, mpid).update();
        }
        if (!removes.isEmpty()) {
            jdbc.sql("DELETE FROM audience_member WHERE audience_id = :id AND generation = :generation"
                            + " AND mpid IN (:mpids)")
                    .param("id", audienceId).param("generation", generation).param("mpids", removes).update();
        }
        jdbc.sql("UPDATE calculation_run SET size = size + ? WHERE audience_id = ? AND generation = ?")
                .params(adds.size() - removes.size(), audienceId, generation).update();
        if (cause != null) {
            log(audienceId, adds, "ADD", cause, now);
            log(audienceId, removes, "REMOVE", cause, now);
        }
    }

    private void log(long audienceId, List<Long> mpids, String change, String cause, Instant now) {
        for (Long mpid : mpids) {
            jdbc.sql("INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at)"
                            + " VALUES (?, ?, ?, ?, ?)")
                    .params(audienceId, mpid, change, cause, Timestamp.from(now)).update();
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
