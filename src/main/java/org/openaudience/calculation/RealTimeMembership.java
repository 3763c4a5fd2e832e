package org.openaudience.calculation;

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
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.ingest.ProfilesTouched;
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
 * re-evaluated in micro-batches against each active audience of their workspace with the same compiler as the bulk
 * calculation; a sweep re-evaluates current members so those whose events left the window drop out. Every change
 * is applied to the complete generation and logged with its cause.
 */
@Service
public class RealTimeMembership {

    static final int SWEEP_CHUNK = 5_000;
    private static final Logger log = LoggerFactory.getLogger(RealTimeMembership.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<Long, Set<Long>> pending = new ConcurrentHashMap<>();
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

    @TransactionalEventListener
    public void onProfilesTouched(ProfilesTouched touched) {
        pending.computeIfAbsent(touched.workspaceId(), id -> ConcurrentHashMap.newKeySet()).addAll(touched.mpids());
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
            Set<Long> touched = pending.remove(workspaceId);
            if (touched == null || touched.isEmpty()) {
                continue;
            }
            try {
                for (ActiveAudience audience : activeAudiences(workspaceId)) {
                    reevaluate(audience, new ArrayList<>(touched), "REALTIME");
                }
            } catch (RuntimeException e) {
                pending.computeIfAbsent(workspaceId, id -> ConcurrentHashMap.newKeySet()).addAll(touched);
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
        for (ActiveAudience audience : activeAudiences(null)) {
            long after = Long.MIN_VALUE;
            List<Long> chunk;
            do {
                chunk = jdbc.sql("SELECT mpid FROM audience_member WHERE audience_id = ? AND generation = ?"
                                + " AND mpid > ? ORDER BY mpid LIMIT ?")
                        .params(audience.id(), audience.generation(), after, SWEEP_CHUNK).query(Long.class).list();
                if (!chunk.isEmpty()) {
                    reevaluate(audience, chunk, "EXPIRY");
                    after = chunk.get(chunk.size() - 1);
                }
            } while (chunk.size() == SWEEP_CHUNK);
        }
    }

    private record ActiveAudience(long id, long workspaceId, int generation, Definition definition,
                                  Instant calculatedAt) {
    }

    /** Audiences with a complete generation and no newer calculation running (that one evaluates fresh data). */
    private List<ActiveAudience> activeAudiences(Long workspaceId) {
        List<ActiveAudience> active = new ArrayList<>();
        jdbc.sql("""
                        SELECT a.id, a.workspace_id, r.generation, r.definition_json, r.calculated_at
                        FROM audience a
                        JOIN calculation_run r ON r.audience_id = a.id AND r.status = 'DONE'
                        WHERE a.status = 'ACTIVE' AND (? IS NULL OR a.workspace_id = ?)
                        AND r.generation = (SELECT MAX(generation) FROM calculation_run d
                                            WHERE d.audience_id = a.id AND d.status = 'DONE')
                        AND NOT EXISTS (SELECT 1 FROM calculation_run x WHERE x.audience_id = a.id
                                        AND x.status = 'RUNNING')""")
                .params(workspaceId, workspaceId)
                .query((rs, row) -> active.add(new ActiveAudience(rs.getLong(1), rs.getLong(2), rs.getInt(3),
                        DefinitionJson.read(rs.getString(4)), rs.getTimestamp(5).toInstant())))
                .list();
        return active;
    }

    private void reevaluate(ActiveAudience audience, List<Long> mpids, String cause) {
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            CompiledQuery query = SqlCompiler.compile(audience.definition(), audience.workspaceId(),
                    new ProfileScope.Profiles(mpids), now);
            Set<Long> qualifying = new HashSet<>(jdbc.sql(query.sql()).params(query.parameters()).query(Long.class)
                    .list());
            Set<Long> members = new HashSet<>(jdbc.sql("SELECT mpid FROM audience_member WHERE audience_id = :id"
                            + " AND generation = :generation AND mpid IN (:mpids)")
                    .param("id", audience.id()).param("generation", audience.generation()).param("mpids", mpids)
                    .query(Long.class).list());
            Map<Long, String> changes = new HashMap<>();
            qualifying.stream().filter(mpid -> !members.contains(mpid)).forEach(mpid -> changes.put(mpid, "ADD"));
            members.stream().filter(mpid -> !qualifying.contains(mpid)).forEach(mpid -> changes.put(mpid, "REMOVE"));
            changes.forEach((mpid, change) -> apply(audience, mpid, change, cause, now));
        });
    }

    private void apply(ActiveAudience audience, long mpid, String change, String cause, Instant now) {
        if (change.equals("ADD")) {
            jdbc.sql("INSERT IGNORE INTO audience_member (audience_id, generation, mpid) VALUES (?, ?, ?)")
                    .params(audience.id(), audience.generation(), mpid).update();
        } else {
            jdbc.sql("DELETE FROM audience_member WHERE audience_id = ? AND generation = ? AND mpid = ?")
                    .params(audience.id(), audience.generation(), mpid).update();
        }
        jdbc.sql("UPDATE calculation_run SET size = size + ? WHERE audience_id = ? AND generation = ?")
                .params(change.equals("ADD") ? 1 : -1, audience.id(), audience.generation()).update();
        jdbc.sql("INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .params(audience.id(), mpid, change, cause, Timestamp.from(now)).update();
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
