package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** How a calculation's steps run: buckets within a step's budget, a second connection, index DDL, and rests. */
@IntegrationTest
class CalculationStepsTest extends CalculationFixture {

    @Autowired
    javax.sql.DataSource dataSource;
    @Autowired
    org.openaudience.indexing.AttributeIndexes indexes;
    @Autowired
    ChangeCounts changeCounts;
    @Autowired
    org.openaudience.base.FreshPlans freshPlans;
    @Autowired
    org.openaudience.base.ForegroundLoad load;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void quick_buckets_share_a_step_within_its_budget_and_find_the_same_members() {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Batched", null, watched("Paris")));
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        CalculationSteps generous = steps(Duration.ofMinutes(1), 1);
        assertThat((Boolean) transactions.execute(status -> generous.next(runId))).as("more to do: the swap").isTrue();
        CalculationProgress afterOneStep = engine.progress(audience.id());
        assertThat(afterOneStep.bucketsDone()).isEqualTo(64);
        assertThat(afterOneStep.calculatingSize()).isEqualTo(30);
        assertThat((Boolean) transactions.execute(status -> generous.next(runId))).as("swapped, nothing left").isFalse();
        assertThat(new HashSet<>(engine.members(audience.id(), 0, 1000))).isEqualTo(paris);

        long second = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(),
                watched("Paris"), 2, CalculationTrigger.EDIT));
        CalculationSteps strict = steps(Duration.ZERO, 1);
        transactions.execute(status -> strict.next(second));
        assertThat(engine.progress(audience.id()).bucketsDone()).as("no budget: one bucket per step").isEqualTo(1);
    }

    @Test
    void with_no_ingestion_running_a_step_queries_two_buckets_at_once_and_finds_the_same_members() throws Exception {
        Thread.sleep(1_100); // no foreground work for longer than counts as recent
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Paired", null, watched("Paris")));
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        CalculationSteps paired = steps(Duration.ZERO, 2);
        transactions.execute(status -> paired.next(runId));
        assertThat(engine.progress(audience.id()).bucketsDone()).as("two buckets in one step").isEqualTo(2);
        while (Boolean.TRUE.equals(transactions.execute(status -> paired.next(runId)))) {
            assertThat(engine.progress(audience.id()).bucketsDone() % 2).isZero();
        }
        assertThat(engine.progress(audience.id()).size()).isEqualTo(30);
        assertThat(new HashSet<>(engine.members(audience.id(), 0, 1000))).isEqualTo(paris);

        long busyRun = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(),
                watched("Paris"), 2, CalculationTrigger.EDIT));
        load.working(); // an Events API request just ran: the second core is left to it
        transactions.execute(status -> paired.next(busyRun));
        assertThat(engine.progress(audience.id()).bucketsDone()).as("one bucket while ingestion is recent")
                .isEqualTo(1);
    }

    @Test
    void buckets_written_by_the_second_connection_of_a_step_that_then_failed_are_written_again_counted_once()
            throws Exception {
        Thread.sleep(1_100); // no foreground work for longer than counts as recent: a step takes a second connection
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Failed step", null,
                watched("Paris")));
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        int generation = jdbc.sql("SELECT generation FROM calculation_run WHERE id = ?").param(runId)
                .query(Integer.class).single();
        CalculationSteps paired = steps(Duration.ofMinutes(1), 2);
        transactions.executeWithoutResult(status -> {
            paired.next(runId);
            status.setRollbackOnly(); // the step fails after its helper committed
        });
        assertThat(engine.progress(audience.id()).bucketsDone()).isZero();
        assertThat(memberRows(audience.id(), generation)).as("what the helper committed is still there")
                .isBetween(1L, 29L);
        // and a profile that has since left (or was never in) sits in a bucket not yet done
        long cannesUser = cannes.iterator().next();
        jdbc.sql("INSERT INTO audience_member (audience_id, generation, mpid) VALUES (?, ?, ?)")
                .params(audience.id(), generation, cannesUser).update();

        boolean more;
        do {
            more = Boolean.TRUE.equals(transactions.execute(status -> paired.next(runId)));
        } while (more);
        assertThat(new HashSet<>(engine.members(audience.id(), 0, 1000))).isEqualTo(paris);
        assertThat(memberRows(audience.id(), generation)).isEqualTo(30);
        assertThat(engine.progress(audience.id()).size()).as("each member counted once").isEqualTo(30);
    }

    private long memberRows(long audienceId, int generation) {
        return jdbc.sql("SELECT COUNT(*) FROM audience_member WHERE audience_id = ? AND generation = ?")
                .params(audienceId, generation).query(Long.class).single();
    }

    @Test
    void a_bucket_writes_its_members_from_its_query_materialised_first_whatever_the_querys_shape() {
        var range = new ProfileScope.MpidRange(Long.MIN_VALUE, Long.MAX_VALUE);
        for (Definition definition : List.of(watched("Paris"), parisOr("Rome"), Definition.of(
                UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium")))) {
            CompiledQuery query = SqlCompiler.compile(definition,
                    workspace.id(), range, clock.instant(), indexes.columns());
            List<String> selectTypes = jdbc.sql("EXPLAIN " + StepWrites.insert(1, 1, query))
                    .params(query.parameters()).query((rs, row) -> rs.getString("select_type")).list();
            // merged into the INSERT, a query loses its join order and reads rows behind virtual-column indexes
            assertThat(selectTypes).as(query.sql()).contains("DERIVED");
        }
    }

    @Test
    void a_bucket_reads_events_without_locking_them_so_ingestion_goes_on_while_its_transaction_is_open()
            throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "No locks", null,
                watched("Paris")));
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        int generation = jdbc.sql("SELECT generation FROM calculation_run WHERE id = ?").param(runId)
                .query(Integer.class).single();
        TransactionTemplate step =
                new TransactionTemplate(transactionManager);
        step.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> bucket = CompletableFuture.supplyAsync(
                () -> step.execute(status -> {
                    int rows = new StepWrites(freshPlans, audience.id(), generation, null,
                            range -> SqlCompiler.compile(watched("Paris"), workspace.id(),
                                    range, clock.instant(), indexes.columns()))
                            .calculate(new ProfileScope.MpidRange(Long.MIN_VALUE,
                                    Long.MAX_VALUE), null);
                    written.countDown();
                    try {
                        release.await(); // the step's transaction stays open, as while it does more buckets
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return rows;
                }));
        try {
            assertThat(written.await(20, TimeUnit.SECONDS)).isTrue();
            long parisViewer = paris.iterator().next();
            String viewerId = jdbc.sql("SELECT identity_value FROM profile_identity WHERE mpid = ?")
                    .param(parisViewer).query(String.class).single();
            TestEvents events = new TestEvents(inputs, ingestion, parser, clock, new TestMembers(team, workspaces));
            long start = System.nanoTime();
            for (String customer : List.of(viewerId, "no-locks-" + TestMembers.unique())) {
                events.send(input, """
                        {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                         "data":{"event_name":"Play Video","custom_attributes":{"destination":"Paris"}}}]}"""
                        .formatted(customer));
            }
            assertThat((System.nanoTime() - start) / 1_000_000).as("ingestion did not wait for the bucket's locks")
                    .isLessThan(5_000);
        } finally {
            release.countDown();
        }
        assertThat(bucket.get(20, TimeUnit.SECONDS)).isEqualTo(30);
    }

    @Test
    void a_step_that_holds_the_event_table_while_index_ddl_waits_queries_alone_so_neither_stalls() throws Exception {
        Thread.sleep(1_100); // no foreground work for longer than counts as recent: a step would take two buckets
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Beside DDL", null,
                watched("Paris")));
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        String attribute = "gate_" + TestMembers.unique();
        Audience needingIndex = asUser(() -> audiences.createAudience(workspace.id(), "Needs an index", null,
                Definition.of(EventCriterion.event("Play Video", Condition.of(attribute, DataType.STRING,
                        Operator.EXACT_MATCH, "x")))));
        CalculationSteps paired = steps(Duration.ZERO, 2);
        long[] stepMillis = new long[1];
        transactions.executeWithoutResult(status -> {
            // the step's transaction already holds the event table's metadata lock, as after its first query
            jdbc.sql("SELECT COUNT(*) FROM event WHERE workspace_id = ?").param(workspace.id()).query(Long.class)
                    .single();
            CompletableFuture<Void> activation = CompletableFuture
                    .runAsync(() -> asUser(() -> audiences.activateAudience(needingIndex.id())));
            awaitDdlWaitingForEvent();
            long start = System.nanoTime();
            paired.next(runId);
            stepMillis[0] = (System.nanoTime() - start) / 1_000_000;
            activation.join();
        });
        assertThat(engine.progress(audience.id()).bucketsDone()).as("one bucket, on the step's own connection")
                .isEqualTo(1);
        assertThat(stepMillis[0]).as("the step did not wait for the DDL's lock timeout").isLessThan(3_000);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String status = null;
        while (System.nanoTime() < deadline && !"READY".equals(status)) {
            Thread.sleep(50);
            status = jdbc.sql("SELECT status FROM attribute_index WHERE attribute = ?").param(attribute)
                    .query(String.class).optional().orElse(null);
        }
        assertThat(status).as("the index was built, not failed on a lock wait").isEqualTo("READY");
        asUser(() -> audiences.deactivateAudience(needingIndex.id()));
    }

    /** Until an ALTER TABLE waits for the event table's metadata lock (the keeper's DDL). */
    private void awaitDdlWaitingForEvent() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (jdbc.sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table"
                    + " metadata lock%' AND INFO LIKE 'ALTER TABLE%event%'").query(Long.class).single() > 0) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no index DDL waited for the event table");
    }

    private CalculationSteps steps(Duration budget, int parallelQueries) {
        return new CalculationSteps(jdbc, clock, event -> { }, indexes, changeCounts, freshPlans, dataSource, load,
                budget, parallelQueries);
    }

    @Test
    void a_calculation_rests_between_its_steps_while_events_are_being_ingested_and_runs_flat_out_otherwise()
            throws Exception {
        List<Long> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.pausesWith(pauses::add);
        try {
            Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Yielding", null,
                    watched("Paris")));
            long busy = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(),
                    watched("Paris"), 1, CalculationTrigger.ACTIVATION));
            load.working(); // an Events API request just ran
            engine.run(busy);
            assertThat(pauses).as("a rest after each of the 64 steps but the swap, while ingestion is recent")
                    .hasSizeGreaterThanOrEqualTo(1).allMatch(millis -> millis >= 1);

            pauses.clear();
            Thread.sleep(1_100); // no foreground work for longer than counts as recent
            long idle = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(),
                    watched("Paris"), 2, CalculationTrigger.EDIT));
            engine.run(idle);
            assertThat(pauses).as("no rest without foreground work").isEmpty();
            assertThat(new HashSet<>(engine.members(audience.id(), 0, 1000))).isEqualTo(paris);
        } finally {
            engine.pausesWith(null);
        }
    }
}
