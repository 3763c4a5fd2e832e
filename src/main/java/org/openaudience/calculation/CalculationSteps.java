package org.openaudience.calculation;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.openaudience.base.ForegroundLoad;
import org.openaudience.base.FreshPlans;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.indexing.AttributeIndexes;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The steps of a calculation run, each inside the transaction the engine gives it: buckets (MPID ranges) in
 * ascending order, then the swap. A step takes the audience's row lock first, as real-time membership does, so
 * buckets, swaps and real time never interleave. Buckets that finish quickly are followed by the next ones in the
 * same transaction, up to {@code openaudience.calculation.step-budget}: a small audience does not pay 64 commits,
 * and progress still moves at least every step. Each bucket finds and writes its members in one statement
 * ({@link StepWrites}). While no Events API request is running, a helper connection taken before the audience lock
 * does buckets beside the step's own ({@code openaudience.calculation.parallel-queries}, {@link BucketPipeline}):
 * MariaDB runs one statement on one core.
 */
@Component
class CalculationSteps {

    private static final Logger log = LoggerFactory.getLogger(CalculationSteps.class);
    /**
     * Member and change rows reference the audience whose row this step holds locked (FOR UPDATE): it cannot go
     * away meanwhile, so checking the reference per row is pure cost (about half of writing 100k change rows).
     */
    static final String NO_REFERENCE_CHECKS = "foreign_key_checks = 0";
    static final String WITHOUT_REFERENCE_CHECKS = "SET STATEMENT " + NO_REFERENCE_CHECKS + " FOR ";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final AttributeIndexes indexes;
    private final ChangeCounts changeCounts;
    private final FreshPlans freshPlans;
    /** How long one step goes on taking buckets (the audience lock is held that long, plus one bucket). */
    private final Duration stepBudget;
    /** Nanoseconds each run spent in its buckets, for the log line at its swap (lost on restart: only a figure). */
    private final Map<Long, long[]> spent = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final ForegroundLoad load;
    /**
     * Connections querying a step's buckets while the machine has no foreground work: 2 (or more) the step's own and
     * a helper, 1 the step's own alone.
     */
    private final int parallelQueries;
    private final ExecutorService helpers;

    CalculationSteps(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events, AttributeIndexes indexes,
                     ChangeCounts changeCounts, FreshPlans freshPlans, DataSource dataSource, ForegroundLoad load,
                     @Value("${openaudience.calculation.step-budget:PT0.15S}") Duration stepBudget,
                     @Value("${openaudience.calculation.parallel-queries:2}") int parallelQueries) {
        this.dataSource = dataSource;
        this.load = load;
        this.parallelQueries = Math.max(1, parallelQueries);
        this.helpers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "calculation-query");
            thread.setDaemon(true);
            return thread;
        });
        this.freshPlans = freshPlans;
        this.stepBudget = stepBudget;
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.indexes = indexes;
        this.changeCounts = changeCounts;
    }

    /** The MPID range of a run's bucket number {@code index}. */
    static ProfileScope.MpidRange bucket(Map<String, Object> run, int index) {
        return ProfileScope.MpidRange.split(((Number) run.get("mpid_min")).longValue(),
                ((Number) run.get("mpid_max")).longValue(), ((Number) run.get("buckets_total")).intValue()).get(index);
    }

    /** One step of the run; @return whether more work remains */
    boolean next(long runId) {
        // not beside index DDL (AttributeIndexes#trySecondConnection), nor while ingestion is busy; taken before any
        // lock: waiting for a pooled connection while holding the audience lock could stall others
        Connection helper = null;
        if (parallelQueries > 1 && !load.busy() && indexes.trySecondConnection()) {
            helper = helperConnection();
            if (helper == null) {
                indexes.endSecondConnection();
            }
        }
        // the gate is held exactly while there is a helper; finally runs once it is closed
        try (Connection held = helper) {
            return next(runId, held);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not return a calculation's helper connection", e);
        } finally {
            if (helper != null) {
                indexes.endSecondConnection();
            }
        }
    }

    /** A pooled connection, or none when the pool has none to give: the step then queries on its own. */
    private Connection helperConnection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException | RuntimeException e) {
            log.warn("No second connection for a calculation step; it queries its buckets one after the other", e);
            return null;
        }
    }

    private boolean next(long runId, Connection helper) {
        List<Long> audience = jdbc.sql("SELECT audience_id FROM calculation_run WHERE id = ?").param(runId)
                .query(Long.class).list();
        if (audience.isEmpty() || jdbc.sql("SELECT id FROM audience WHERE id = ? FOR UPDATE")
                .param(audience.get(0)).query(Long.class).list().isEmpty()) {
            forget(runId);
            return false;
        }
        Map<String, Object> run = jdbc.sql("SELECT * FROM calculation_run WHERE id = ? FOR UPDATE").param(runId)
                .query().singleRow();
        if (!"RUNNING".equals(run.get("status"))) {
            forget(runId);
            return false;
        }
        int done = ((Number) run.get("buckets_done")).intValue();
        int total = ((Number) run.get("buckets_total")).intValue();
        long audienceId = ((Number) run.get("audience_id")).longValue();
        int generation = ((Number) run.get("generation")).intValue();
        if (done == total) {
            swap(runId, audienceId, generation, ((Number) run.get("size")).longValue());
            return false;
        }
        Definition definition = DefinitionJson.read((String) run.get("definition_json"));
        long workspaceId = ((Number) run.get("workspace_id")).longValue();
        long start = System.nanoTime();
        long[] figures = spent.computeIfAbsent(runId, id -> new long[4]);
        List<ProfileScope.MpidRange> remaining = java.util.stream.IntStream.range(done, total)
                .mapToObj(index -> bucket(run, index)).toList();
        Instant now = clock.instant();
        StepWrites writes = new StepWrites(freshPlans, audienceId, generation, helper,
                bucket -> SqlCompiler.compile(definition, workspaceId, bucket, now, indexes.columns()));
        BucketPipeline.Done step;
        writes.begin();
        try {
            writes.removeLeftovers(remaining);
            step = new BucketPipeline(remaining, stepBudget.toNanos(), helper, helpers, writes::calculate).run();
            writes.commitHelper();
        } catch (RuntimeException e) {
            writes.rollbackHelper(e);
            throw e;
        }
        figures[2] += step.ownNanos();
        figures[3] += step.helperWaitNanos();
        jdbc.sql("UPDATE calculation_run SET buckets_done = buckets_done + ?, size = size + ? WHERE id = ?")
                .params(step.taken(), step.found(), runId).update();
        figures[0] += System.nanoTime() - start;
        figures[1] += 1;
        return true;
    }

    @PreDestroy
    void stopHelpers() {
        helpers.shutdownNow();
    }

    /** Drops a run's time figures: it ended without a swap (failed, cancelled, its audience deleted). */
    void forget(long runId) {
        spent.remove(runId);
    }

    /** Whether time figures are kept for the run (removed at its swap or by {@link #forget}). */
    boolean keepsFiguresOf(long runId) {
        return spent.containsKey(runId);
    }

    /** Records adds and removes against the previous complete generation, then makes this one the complete one. */
    private void swap(long runId, long audienceId, int generation, long size) {
        long start = System.nanoTime();
        Instant now = clock.instant();
        Integer previous = jdbc.sql("SELECT MAX(generation) FROM calculation_run WHERE audience_id = ?"
                + " AND status = 'DONE'").param(audienceId).query(Integer.class).optional().orElse(null);
        long adds;
        long drops = 0;
        if (previous == null) {
            // the first membership is where the audience starts, not a change of it: counted for the list and the
            // chart, not logged member by member (104k rows took 0.9 s at the swap of a 1M-profile workspace). Its
            // size is its row count (every writer adds the rows it wrote), so nothing is counted again (35–63 ms
            // for 104k rows)
            adds = size;
        } else {
            // NOT IN (mpid is never NULL, so it means NOT EXISTS): inside INSERT … SELECT, MariaDB runs a NOT EXISTS
            // as a dependent subquery, one lookup per member, and NOT IN as one materialised set (measured at 104k
            // members with 10k changed each way: 572–780 ms a statement against 165–282 ms)
            adds = jdbc.sql(WITHOUT_REFERENCE_CHECKS + """
                            INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at)
                            SELECT ?, n.mpid, 'ADD', 'CALCULATION', ? FROM audience_member n
                            WHERE n.audience_id = ? AND n.generation = ? AND n.mpid NOT IN (
                                SELECT o.mpid FROM audience_member o WHERE o.audience_id = ? AND o.generation = ?)""")
                    .params(audienceId, Timestamp.from(now), audienceId, generation, audienceId, previous).update();
            drops = jdbc.sql(WITHOUT_REFERENCE_CHECKS + """
                            INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at)
                            SELECT ?, o.mpid, 'REMOVE', 'CALCULATION', ? FROM audience_member o
                            WHERE o.audience_id = ? AND o.generation = ? AND o.mpid NOT IN (
                                SELECT n.mpid FROM audience_member n WHERE n.audience_id = ? AND n.generation = ?)""")
                    .params(audienceId, Timestamp.from(now), audienceId, previous, audienceId, generation).update();
        }
        changeCounts.add(audienceId, Timestamp.from(now), adds, drops);
        // the size found, kept: real time goes on changing size, the complete generation's member count
        jdbc.sql("UPDATE calculation_run SET status = 'DONE', finished_at = ?, size_at_completion = size WHERE id = ?")
                .params(Timestamp.from(now), runId).update();
        jdbc.sql("DELETE FROM audience_member WHERE audience_id = ? AND generation < ?")
                .params(audienceId, generation).update();
        events.publishEvent(new MembershipChanged(audienceId));
        long[] buckets = spent.remove(runId);
        log.info("Audience {} calculated (run {}, generation {}): buckets {} ms in {} steps (on the step's connection"
                        + " {} ms, waiting for the second connection {} ms), swap {} ms ({} added, {} removed)",
                audienceId, runId, generation, buckets == null ? "?" : buckets[0] / 1_000_000,
                buckets == null ? "?" : buckets[1], buckets == null ? "?" : buckets[2] / 1_000_000,
                buckets == null ? "?" : buckets[3] / 1_000_000, (System.nanoTime() - start) / 1_000_000, adds, drops);
    }
}
