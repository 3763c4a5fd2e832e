package org.openaudience.calculation;

import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.openaudience.base.ForegroundLoad;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.indexing.IndexNeedsChanged;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Calculates audience membership in the background, bucket by bucket: the workspace's MPID span, fixed when the run
 * starts, split into equal contiguous ranges processed in ascending order.
 * Each bucket commits its members and the run's progress together, so progress is real work done and an
 * interrupted run resumes at its next bucket after a restart. The new generation is built beside the complete
 * one; marking the run DONE (with the membership changes it causes) is the atomic swap.
 */
@Service
public class CalculationEngine {

    private static final Logger log = LoggerFactory.getLogger(CalculationEngine.class);
    /** Deadlocks and lock-wait timeouts in a row before a run fails; a step that keeps losing has a real cause. */
    static final int MAX_TRANSIENT_ATTEMPTS = 8;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int buckets;
    private final ExecutorService workers;
    private final ApplicationEventPublisher events;
    private final ChangeCounts changeCounts;
    private final CalculationSteps steps;
    private final ForegroundLoad load;
    private final double yieldRatio;
    private java.util.function.LongConsumer pauses = CalculationEngine::pause;

    CalculationEngine(JdbcClient jdbc, PlatformTransactionManager transactionManager, Clock clock,
                      ApplicationEventPublisher events, ChangeCounts changeCounts, CalculationSteps steps,
                      ForegroundLoad load, @Value("${openaudience.calculation.yield-ratio:1.0}") double yieldRatio,
                      @Value("${openaudience.calculation.buckets:64}") int buckets,
                      @Value("${openaudience.calculation.threads:2}") int threads) {
        this.jdbc = jdbc;
        this.events = events;
        this.changeCounts = changeCounts;
        this.steps = steps;
        this.load = load;
        this.yieldRatio = yieldRatio;
        // each bucket reads events as committed when its statement starts: no shared locks on the event index
        // entries it reads (REPEATABLE READ's INSERT … SELECT takes them), so ingestion into the range never waits
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.clock = clock;
        this.buckets = buckets;
        AtomicInteger number = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "calculation-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts calculating a definition into a new generation; a run still going for an older definition of the
     * audience is superseded. Called inside the caller's transaction: the work starts once it commits.
     *
     * @param trigger what started it, shown in the runs list
     * @return the run id
     */
    public long start(long audienceId, long workspaceId, Definition definition, int definitionVersion,
                      CalculationTrigger trigger) {
        long runId = createRun(audienceId, workspaceId, definition, definitionVersion, trigger);
        events.publishEvent(new IndexNeedsChanged());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                submit(runId);
            }
        });
        return runId;
    }

    /** The run row of a new generation; nothing calculates it until it is submitted (or resumed). */
    long createRun(long audienceId, long workspaceId, Definition definition, int definitionVersion,
                   CalculationTrigger trigger) {
        Instant now = clock.instant();
        jdbc.sql("UPDATE calculation_run SET status = 'SUPERSEDED', finished_at = ? WHERE audience_id = ?"
                + " AND status = 'RUNNING'").params(Timestamp.from(now), audienceId).update();
        int generation = jdbc.sql("SELECT COALESCE(MAX(generation), 0) + 1 FROM calculation_run WHERE audience_id = ?")
                .param(audienceId).query(Integer.class).single();
        // profiles created later fall outside the span: real time evaluates those at once (see RealTimeMembership)
        Map<String, Object> span = jdbc.sql("SELECT COALESCE(MIN(mpid), 0) AS low, COALESCE(MAX(mpid), 0) AS high"
                + " FROM profile WHERE workspace_id = ?").param(workspaceId).query().singleRow();
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO calculation_run (audience_id, generation, definition_version, definition_json,
                            workspace_id, status, buckets_total, buckets_done, size, calculated_at, started_at,
                            mpid_min, mpid_max, triggered_by)
                        VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, 0, 0, ?, ?, ?, ?, ?)""")
                .params(audienceId, generation, definitionVersion, DefinitionJson.write(definition), workspaceId,
                        buckets, Timestamp.from(now), Timestamp.from(now), span.get("low"), span.get("high"),
                        trigger.name())
                .update(keys);
        return keys.getKey().longValue();
    }

    /** Stops an audience's running calculation (deactivation); its complete generation stays. */
    public void stop(long audienceId) {
        jdbc.sql("UPDATE calculation_run SET status = 'SUPERSEDED', finished_at = ? WHERE audience_id = ?"
                + " AND status = 'RUNNING'").params(Timestamp.from(clock.instant()), audienceId).update();
    }

    public CalculationProgress progress(long audienceId) {
        return progress(List.of(audienceId)).getOrDefault(audienceId, CalculationProgress.NEVER);
    }

    /** {@link #progress(long)} of several audiences in one query (a page of the Audiences list). */
    public Map<Long, CalculationProgress> progress(Collection<Long> audienceIds) {
        Map<Long, List<Map<String, Object>>> byAudience = new HashMap<>();
        if (audienceIds.isEmpty()) {
            return Map.of();
        }
        jdbc.sql("""
                        SELECT audience_id, status, buckets_done, buckets_total, size, error FROM calculation_run
                        WHERE audience_id IN (:ids) AND status IN ('DONE', 'RUNNING', 'FAILED')
                        ORDER BY audience_id, generation DESC""")
                .param("ids", audienceIds).query().listOfRows()
                .forEach(run -> byAudience.computeIfAbsent(((Number) run.get("audience_id")).longValue(),
                        id -> new ArrayList<>()).add(run));
        Map<Long, CalculationProgress> progress = new HashMap<>();
        audienceIds.forEach(id -> progress.put(id, progressOf(byAudience.getOrDefault(id, List.of()))));
        return progress;
    }

    /** Progress from an audience's runs, newest generation first. */
    private static CalculationProgress progressOf(List<Map<String, Object>> runs) {
        long size = runs.stream().filter(run -> "DONE".equals(run.get("status"))).findFirst()
                .map(run -> ((Number) run.get("size")).longValue()).orElse(0L);
        if (runs.isEmpty()) {
            return CalculationProgress.NEVER;
        }
        Map<String, Object> latest = runs.get(0);
        boolean running = "RUNNING".equals(latest.get("status"));
        return new CalculationProgress(size, running, ((Number) latest.get("buckets_done")).intValue(),
                ((Number) latest.get("buckets_total")).intValue(),
                running ? ((Number) latest.get("size")).longValue() : size, (String) latest.get("error"));
    }

    /** MPIDs of the complete generation, for downloads and outputs. */
    public List<Long> members(long audienceId, int offset, int limit) {
        return jdbc.sql("""
                        SELECT m.mpid FROM audience_member m
                        JOIN (SELECT MAX(generation) AS generation FROM calculation_run
                              WHERE audience_id = ? AND status = 'DONE') done ON m.generation = done.generation
                        WHERE m.audience_id = ? ORDER BY m.mpid LIMIT ? OFFSET ?""")
                .params(audienceId, audienceId, limit, offset).query(Long.class).list();
    }

    /** Whether the profile is in the audience's complete membership. */
    public boolean isMember(long audienceId, long mpid) {
        return jdbc.sql("""
                        SELECT COUNT(*) FROM audience_member m WHERE m.audience_id = ? AND m.mpid = ?
                        AND m.generation = (SELECT MAX(generation) FROM calculation_run
                                            WHERE audience_id = ? AND status = 'DONE')""")
                .params(audienceId, mpid, audienceId).query(Long.class).single() > 0;
    }

    /** Adds and drops at or after {@code since}, as counting the membership change log gives them. */
    public long[] addsAndDrops(long audienceId, Instant since) {
        return addsAndDrops(List.of(audienceId), since).get(audienceId);
    }

    /**
     * {@link #addsAndDrops(long, Instant)} of several audiences in one query, from the hourly counts
     * ({@link ChangeCounts}): its cost does not grow with the number of changes.
     */
    public Map<Long, long[]> addsAndDrops(Collection<Long> audienceIds, Instant since) {
        Map<Long, long[]> counts = changeCounts.since(audienceIds, since);
        audienceIds.forEach(id -> counts.putIfAbsent(id, new long[] {0, 0}));
        return counts;
    }

    /** Picks interrupted calculations up again after a restart. */
    @EventListener(ApplicationReadyEvent.class)
    public void resumeInterrupted() {
        jdbc.sql("SELECT id FROM calculation_run WHERE status = 'RUNNING'").query(Long.class).list()
                .forEach(this::submit);
    }

    void submit(long runId) {
        workers.execute(() -> {
            try {
                run(runId);
            } catch (RuntimeException e) {
                steps.forget(runId);
                log.error("Calculation run {} failed", runId, e);
                jdbc.sql("UPDATE calculation_run SET status = 'FAILED', finished_at = ?, error = ? WHERE id = ?")
                        .params(Timestamp.from(clock.instant()), truncate(String.valueOf(e.getMessage())), runId)
                        .update();
            }
        });
    }

    /**
     * Processes the run's remaining buckets, one transaction each, then swaps. A bucket that loses a deadlock or times
     * out waiting for a lock (two calculations finishing together, real time on the same audience) rolled back whole,
     * so it runs again after a pause; only an error that repeats past {@link #MAX_TRANSIENT_ATTEMPTS} fails the run.
     */
    void run(long runId) {
        int failedAttempts = 0;
        while (true) {
            try {
                long start = System.nanoTime();
                if (!processNextBucket(runId)) {
                    return;
                }
                failedAttempts = 0;
                yieldToForeground(System.nanoTime() - start);
            } catch (PessimisticLockingFailureException e) {
                failedAttempts++;
                if (failedAttempts >= MAX_TRANSIENT_ATTEMPTS) {
                    throw new IllegalStateException("The database refused a step of the calculation "
                            + failedAttempts + " times in a row: " + e.getMostSpecificCause().getMessage(), e);
                }
                log.warn("Calculation run {} lost a lock race ({}); retrying the step in {} ms", runId,
                        e.getMostSpecificCause().getMessage(), backoff(failedAttempts));
                pause(backoff(failedAttempts));
            }
        }
    }

    /**
     * While Events API requests are running, rests between steps for {@code openaudience.calculation.yield-ratio}
     * times as long as the step took (outside its transaction, holding no lock), so ingestion keeps most of the
     * machine; with no foreground work the calculation runs flat out.
     */
    private void yieldToForeground(long stepNanos) {
        if (yieldRatio > 0 && load.busy()) {
            pauses.accept(Math.max(1, (long) (stepNanos * yieldRatio / 1_000_000)));
        }
    }

    /** Where pauses go (tests record them instead of sleeping); null: sleep again. */
    void pausesWith(java.util.function.LongConsumer pauses) {
        this.pauses = pauses == null ? CalculationEngine::pause : pauses;
    }

    /** Exponential with jitter: 100 ms, 200 ms, 400 ms … at most 5 s, randomised between half and all of it. */
    static long backoff(int failedAttempts) {
        long full = Math.min(5_000, 100L << Math.min(failedAttempts - 1, 10));
        return full / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(full / 2 + 1);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a calculation step", e);
        }
    }

    /** One step in its own transaction (see {@link CalculationSteps}); false when the run has nothing left. */
    boolean processNextBucket(long runId) {
        return Boolean.TRUE.equals(transactions.execute(status -> steps.next(runId)));
    }

    private static String truncate(String text) {
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    @PreDestroy
    void stopWorkers() {
        workers.shutdownNow();
    }
}
