package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Activation calculates in buckets with real progress; edits recalculate beside the served membership. */
@IntegrationTest
class AudienceCalculationTest {

    @Autowired
    CalculationSteps steps;
    @Autowired
    javax.sql.DataSource dataSource;
    @Autowired
    AudienceService audiences;
    @Autowired
    org.openaudience.audience.AudienceMembers members;
    @Autowired
    org.openaudience.audience.AudienceHistory history;
    @Autowired
    org.openaudience.audience.AudienceEstimates estimates;
    @Autowired
    CalculationEngine engine;
    @Autowired
    org.openaudience.audience.AudienceDefinitions definitions;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    Workspace workspace;
    Input input;
    Member user;
    Set<Long> paris = new HashSet<>();
    Set<Long> cannes = new HashSet<>();

    static EventCriterion viewing(String destination) {
        return EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, destination));
    }

    static Definition watched(String destination) {
        return Definition.of(viewing(destination));
    }

    /** Paris viewers Or viewers of {@code other}. */
    static Definition parisOr(String other) {
        return new Definition(org.openaudience.criteria.Group.of(viewing("Paris"))
                .then(org.openaudience.criteria.Connector.OR, viewing(other)), null);
    }

    @BeforeEach
    void setUp() {
        clock.reset();
        TestMembers members = new TestMembers(team, workspaces);
        workspace = members.workspace("Calc");
        user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        input = events.webInput(workspace);
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 0; i < 90; i++) {
            String destination = i % 3 == 0 ? "Paris" : i % 3 == 1 ? "Cannes" : "Rome";
            bulk.append(i == 0 ? "" : ",").append("""
                    {"user_identities":{"customer_id":"calc-%d"},"events":[{"event_type":"custom_event",
                     "data":{"event_name":"Play Video","custom_attributes":{"destination":"%s"}}}]}"""
                    .formatted(i, destination));
        }
        List<Long> mpids = ingestion.ingest(input, parser.parseBulk(bulk.append("]").toString().getBytes(), "web",
                clock.instant())).mpids();
        for (int i = 0; i < mpids.size(); i++) {
            (i % 3 == 0 ? paris : i % 3 == 1 ? cannes : new HashSet<Long>()).add(mpids.get(i));
        }
    }

    <T> T asUser(java.util.function.Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    CalculationProgress awaitCalculated(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        CalculationProgress progress;
        do {
            Thread.sleep(50);
            progress = asUser(() -> audiences.progress(audienceId));
        } while (progress.calculating() && System.nanoTime() < deadline);
        return progress;
    }

    @Test
    void activation_calculates_the_members_and_records_them_as_adds() throws Exception {
        Audience draft = asUser(() -> audiences.createAudience(workspace.id(), "Paris viewers", null,
                watched("paris")));
        assertThat(draft.status()).isEqualTo(AudienceStatus.DRAFT);
        assertThat(asUser(() -> audiences.progress(draft.id()))).isEqualTo(CalculationProgress.NEVER);

        asUser(() -> audiences.activateAudience(draft.id()));
        CalculationProgress done = awaitCalculated(draft.id());

        assertThat(done.calculating()).isFalse();
        assertThat(done.size()).isEqualTo(30);
        assertThat(done.percent()).isEqualTo(100);
        assertThat(new HashSet<>(engine.members(draft.id(), 0, 1000))).isEqualTo(paris);
        assertThat(engine.addsAndDrops(draft.id(), clock.instant().minus(Duration.ofDays(1))))
                .containsExactly(30, 0);
    }

    /**
     * A trigger on this audience's member inserts fails them as InnoDB does a deadlock victim (error 1213), as often
     * as a non-transactional counter says, so the failures survive the rollbacks they cause.
     */
    void failMemberInserts(long audienceId, int times, String sqlState, int errorNumber) {
        jdbc.sql("CREATE TABLE IF NOT EXISTS test_member_failures (remaining INT NOT NULL) ENGINE=Aria").update();
        jdbc.sql("DELETE FROM test_member_failures").update();
        jdbc.sql("INSERT INTO test_member_failures VALUES (?)").param(times).update();
        jdbc.sql("""
                CREATE TRIGGER fail_member_insert BEFORE INSERT ON audience_member FOR EACH ROW
                IF NEW.audience_id = %d AND (SELECT remaining FROM test_member_failures) > 0 THEN
                    UPDATE test_member_failures SET remaining = remaining - 1;
                    SIGNAL SQLSTATE '%s' SET MESSAGE_TEXT = 'simulated failure', MYSQL_ERRNO = %d;
                END IF""".formatted(audienceId, sqlState, errorNumber)).update();
    }

    @AfterEach
    void dropFailingTrigger() {
        jdbc.sql("DROP TRIGGER IF EXISTS fail_member_insert").update();
    }

    @Test
    void a_calculation_step_that_loses_deadlocks_is_retried_and_the_run_completes() throws Exception {
        Audience draft = asUser(() -> audiences.createAudience(workspace.id(), "Deadlocked", null, watched("Paris")));
        failMemberInserts(draft.id(), 3, "40001", 1213);

        asUser(() -> audiences.activateAudience(draft.id()));
        CalculationProgress done = awaitCalculated(draft.id());

        assertThat(done.lastError()).isNull();
        assertThat(done.size()).isEqualTo(30);
        assertThat(new HashSet<>(engine.members(draft.id(), 0, 1000))).isEqualTo(paris);
        assertThat(jdbc.sql("SELECT remaining FROM test_member_failures").query(Integer.class).single())
                .as("the three deadlocks happened").isZero();
    }

    @Test
    void a_real_error_fails_the_run_at_once_and_shows_it() throws Exception {
        Audience draft = asUser(() -> audiences.createAudience(workspace.id(), "Broken", null, watched("Paris")));
        failMemberInserts(draft.id(), 1000, "45000", 1644);

        asUser(() -> audiences.activateAudience(draft.id()));
        CalculationProgress failed = awaitCalculated(draft.id());

        assertThat(failed.lastError()).contains("simulated failure");
        assertThat(jdbc.sql("SELECT remaining FROM test_member_failures").query(Integer.class).single())
                .as("not retried").isEqualTo(999);
        long runId = jdbc.sql("SELECT id FROM calculation_run WHERE audience_id = ?").param(draft.id())
                .query(Long.class).single();
        assertThat(steps.keepsFiguresOf(runId)).as("the failed run's time figures are let go").isFalse();
    }

    @Test
    void an_edit_recalculates_beside_the_served_membership_and_records_adds_and_drops() throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Viewers", null, watched("Paris")));
        asUser(() -> audiences.activateAudience(audience.id()));
        awaitCalculated(audience.id());

        asUser(() -> audiences.updateDefinition(audience.id(), watched("Cannes")));
        CalculationProgress done = awaitCalculated(audience.id());

        assertThat(new HashSet<>(engine.members(audience.id(), 0, 1000))).isEqualTo(cannes);
        assertThat(done.size()).isEqualTo(30);
        assertThat(engine.addsAndDrops(audience.id(), clock.instant().minus(Duration.ofDays(1))))
                .containsExactly(60, 30);
        assertThat(asUser(() -> history.versions(audience.id()))).hasSize(2);
    }

    @Test
    void a_recalculation_logs_exactly_the_members_who_joined_or_left_and_not_those_who_stayed() throws Exception {
        Definition parisOrCannes = parisOr("Cannes");
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Widening", null, watched("Paris")));
        asUser(() -> audiences.activateAudience(audience.id()));
        awaitCalculated(audience.id());

        asUser(() -> audiences.updateDefinition(audience.id(), parisOrCannes));
        awaitCalculated(audience.id());
        assertThat(logged(audience.id(), "ADD")).as("Cannes joined; Paris, already in, is not logged")
                .hasSize(30).containsExactlyInAnyOrderElementsOf(cannes);
        assertThat(logged(audience.id(), "REMOVE")).isEmpty();

        asUser(() -> audiences.updateDefinition(audience.id(), watched("Cannes")));
        awaitCalculated(audience.id());
        assertThat(logged(audience.id(), "ADD")).as("no one joined again").hasSize(30);
        assertThat(logged(audience.id(), "REMOVE")).as("Paris left, Cannes stayed")
                .hasSize(30).containsExactlyInAnyOrderElementsOf(paris);
        assertThat(new HashSet<>(engine.members(audience.id(), 0, 1000))).isEqualTo(cannes);
    }

    /** The members the change log holds for the audience (a first membership is counted, not logged). */
    private List<Long> logged(long audienceId, String change) {
        return jdbc.sql("SELECT mpid FROM membership_change WHERE audience_id = ? AND change_type = ?")
                .params(audienceId, change).query(Long.class).list();
    }

    @Autowired
    org.openaudience.indexing.AttributeIndexes indexes;
    @Autowired
    ChangeCounts changeCounts;
    @Autowired
    org.openaudience.base.FreshPlans freshPlans;
    @Autowired
    org.openaudience.base.ForegroundLoad load;

    @Test
    void an_interrupted_calculation_shows_real_progress_and_resumes_where_it_stopped() throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Resumed", null, watched("Paris")));
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        for (int i = 0; i < 20; i++) {
            engine.processNextBucket(runId);
        }
        CalculationProgress halfway = engine.progress(audience.id());
        assertThat(halfway.calculating()).isTrue();
        assertThat(halfway.bucketsDone()).isEqualTo(20);
        assertThat(halfway.bucketsTotal()).isEqualTo(64);
        assertThat(halfway.calculatingSize()).isBetween(1L, 29L);
        assertThat(halfway.size()).as("nothing complete to serve yet").isZero();

        engine.resumeInterrupted(); // what a restart does
        CalculationProgress done = awaitCalculated(audience.id());
        assertThat(done.size()).isEqualTo(30);
        assertThat(new HashSet<>(engine.members(audience.id(), 0, 1000))).isEqualTo(paris);
    }

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
            java.util.concurrent.CompletableFuture<Void> activation = java.util.concurrent.CompletableFuture
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

    @Test
    void data_arriving_while_a_recalculation_runs_reaches_the_served_and_the_new_membership() throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Live", null, watched("Paris")));
        asUser(() -> audiences.activateAudience(audience.id()));
        awaitCalculated(audience.id());
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                2, CalculationTrigger.EDIT));
        long convert = cannes.stream().min(Long::compare).orElseThrow();
        while (engine.progress(audience.id()).bucketsDone() < 64 && !bucketDone(runId, convert)) {
            engine.processNextBucket(runId);
        }
        assertThat(engine.progress(audience.id()).calculating()).isTrue();

        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, new TestMembers(team, workspaces));
        String cannesId = jdbc.sql("SELECT identity_value FROM profile_identity WHERE mpid = ?").param(convert)
                .query(String.class).single();
        events.send(input, """
                {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video","custom_attributes":{"destination":"Paris"}}}]}"""
                .formatted(cannesId));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!engine.isMember(audience.id(), convert) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.isMember(audience.id(), convert)).as("the served membership follows the data").isTrue();

        while (engine.processNextBucket(runId)) {
            // the rest of the recalculation
        }
        assertThat(engine.members(audience.id(), 0, 1000)).contains(convert).hasSize(31);
        assertThat(engine.addsAndDrops(audience.id(), clock.instant().minus(Duration.ofDays(1))))
                .as("30 calculated, 1 real-time, nothing twice").containsExactly(31, 0);
    }

    @Test
    void data_arriving_for_a_bucket_not_yet_done_is_in_the_new_membership() throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Late", null, watched("Paris")));
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        engine.processNextBucket(runId);
        long convert = cannes.stream().max(Long::compare).orElseThrow(); // in the last bucket
        assertThat(bucketDone(runId, convert)).isFalse();
        clock.advance(Duration.ofMinutes(5));
        String cannesId = jdbc.sql("SELECT identity_value FROM profile_identity WHERE mpid = ?").param(convert)
                .query(String.class).single();
        new TestEvents(inputs, ingestion, parser, clock, new TestMembers(team, workspaces)).send(input, """
                {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video","custom_attributes":{"destination":"Paris"}}}]}"""
                .formatted(cannesId));
        while (engine.processNextBucket(runId)) {
            // the rest of the calculation, after the event
        }
        assertThat(engine.members(audience.id(), 0, 1000)).contains(convert).hasSize(31);
    }

    @Test
    void a_first_calculation_counts_as_adds_every_member_including_those_real_time_added_while_it_ran()
            throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "First", null, watched("Paris")));
        // active with its first run under the test's control (activation would start the run on the engine's worker)
        jdbc.sql("UPDATE audience SET status = 'ACTIVE' WHERE id = ?").param(audience.id()).update();
        long runId = transactions.execute(status -> engine.createRun(audience.id(), workspace.id(), watched("Paris"),
                1, CalculationTrigger.ACTIVATION));
        long convert = cannes.stream().min(Long::compare).orElseThrow();
        while (!bucketDone(runId, convert)) {
            engine.processNextBucket(runId);
        }
        String cannesId = jdbc.sql("SELECT identity_value FROM profile_identity WHERE mpid = ?").param(convert)
                .query(String.class).single();
        new TestEvents(inputs, ingestion, parser, clock, new TestMembers(team, workspaces)).send(input, """
                {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video","custom_attributes":{"destination":"Paris"}}}]}"""
                .formatted(cannesId));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (newGenerationRows(audience.id(), convert) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(newGenerationRows(audience.id(), convert)).as("real time wrote into the running generation")
                .isEqualTo(1);

        while (engine.processNextBucket(runId)) {
            // the rest of the calculation
        }
        assertThat(engine.members(audience.id(), 0, 1000)).contains(convert).hasSize(31);
        assertThat(engine.addsAndDrops(audience.id(), clock.instant().minus(Duration.ofDays(1))))
                .as("30 calculated and 1 from real time, each counted once").containsExactly(31, 0);
        assertThat(engine.progress(audience.id()).size()).isEqualTo(31);
    }

    private long newGenerationRows(long audienceId, long mpid) {
        return jdbc.sql("SELECT COUNT(*) FROM audience_member WHERE audience_id = ? AND generation = 1 AND mpid = ?")
                .params(audienceId, mpid).query(Long.class).single();
    }

    private boolean bucketDone(long runId, long mpid) {
        var run = jdbc.sql("SELECT * FROM calculation_run WHERE id = ?").param(runId).query().singleRow();
        int done = ((Number) run.get("buckets_done")).intValue();
        return done > 0 && mpid <= CalculationSteps.bucket(run, done - 1).to();
    }

    @Test
    void estimates_count_the_whole_definition_and_each_criterion_from_the_sample() {
        Definition parisOrCannes = parisOr("cannes");
        var estimate = asUser(() -> estimates.estimate(workspace.id(), parisOrCannes));
        assertThat(estimate.total().size()).isEqualTo(60);
        assertThat(estimate.total().samplePercent()).as("a small workspace is sampled whole").isEqualTo(100);
        assertThat(estimate.total().tooSmall()).isFalse();
        assertThat(estimate.perCriterion()).containsOnlyKeys("1", "2");
        assertThat(estimate.perCriterion().get("1").size()).isEqualTo(30);
        assertThat(estimate.perCriterion().get("2").size()).isEqualTo(30);
    }

    @Test
    void explain_gives_each_criterions_verdict_for_one_user() {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Why", null, watched("Paris")));
        long parisUser = paris.iterator().next();
        long otherUser = cannes.iterator().next();
        var in = asUser(() -> members.explain(audience.id(), parisUser)).orElseThrow();
        assertThat(in.matches()).isTrue();
        assertThat(in.criteria()).singleElement().satisfies(verdict -> {
            assertThat(verdict.path()).isEqualTo("1");
            assertThat(verdict.reason()).isEqualTo("1 matching event in the last 30 days, needs > 0");
        });
        var out = asUser(() -> members.explain(audience.id(), otherUser)).orElseThrow();
        assertThat(out.matches()).isFalse();
        assertThat(out.criteria().get(0).reason()).isEqualTo("0 matching events in the last 30 days, needs > 0");
        assertThat(asUser(() -> members.explain(audience.id(), 42L))).isEmpty();
    }

    @Test
    void clone_copies_as_a_draft_and_delete_removes_the_audience() throws Exception {
        Audience original = asUser(() -> audiences.createAudience(workspace.id(), "Original", "Ext", watched("Rome")));
        asUser(() -> audiences.activateAudience(original.id()));
        awaitCalculated(original.id());
        Audience copy = asUser(() -> audiences.cloneAudience(original.id()));
        assertThat(copy.name()).isEqualTo("Original (copy)");
        assertThat(copy.externalName()).as("never delivered under the original's name").isEqualTo("Ext (copy)");
        assertThat(copy.status()).isEqualTo(AudienceStatus.DRAFT);
        assertThat(copy.definition()).isEqualTo(original.definition());
        Audience second = asUser(() -> audiences.cloneAudience(original.id()));
        assertThat(second.name()).isEqualTo("Original (copy 2)");
        assertThat(second.externalName()).isEqualTo("Ext (copy 2)");

        asUser(() -> {
            audiences.deleteAudience(original.id());
            return null;
        });
        assertThat(asUser(() -> audiences.count(workspace.id()))).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audience_member WHERE audience_id = ?").param(original.id())
                .query(Long.class).single()).isZero();
    }

    @Test
    void a_clone_of_a_long_name_is_shortened_so_its_numbered_suffix_fits_100_characters() {
        String long100 = "L".repeat(100);
        Audience original = asUser(() -> audiences.createAudience(workspace.id(), long100, "E".repeat(100),
                watched("Rome")));
        Audience copy = asUser(() -> audiences.cloneAudience(original.id()));
        Audience second = asUser(() -> audiences.cloneAudience(original.id()));

        assertThat(copy.name()).hasSize(100).isEqualTo("L".repeat(93) + " (copy)");
        assertThat(copy.externalName()).isEqualTo("E".repeat(93) + " (copy)");
        assertThat(second.name()).isEqualTo("L".repeat(91) + " (copy 2)");
        assertThat(second.externalName()).isEqualTo("E".repeat(91) + " (copy 2)");
    }

    @Test
    void each_run_records_what_started_it_and_keeps_its_size_at_completion() throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Triggers", null,
                watched("Paris")));
        asUser(() -> audiences.activateAudience(audience.id()));
        awaitCalculated(audience.id());
        asUser(() -> audiences.updateDefinition(audience.id(), watched("Cannes")));
        awaitCalculated(audience.id());
        asUser(() -> definitions.replaceInputs(audience.id(), 2, Set.of(input.id())));
        awaitCalculated(audience.id());
        jdbc.sql("UPDATE calculation_run SET status = 'FAILED', error = 'simulated', size_at_completion = NULL"
                + " WHERE audience_id = ? AND generation = 3").param(audience.id()).update();
        asUser(() -> audiences.retryCalculation(audience.id()));
        awaitCalculated(audience.id());
        asUser(() -> audiences.deactivateAudience(audience.id()));
        asUser(() -> audiences.activateAudience(audience.id()));
        awaitCalculated(audience.id());

        List<org.openaudience.audience.CalculationRun> runs = asUser(() -> history.runs(audience.id()));
        assertThat(runs).extracting(run -> run.generation() + " " + run.trigger() + " v" + run.definitionVersion()
                        + " " + run.status() + " " + run.sizeAtCompletion())
                .containsExactly("5 ACTIVATION v3 DONE 30", "4 RETRY v3 DONE 30",
                        "3 EDIT v3 FAILED null", "2 EDIT v2 DONE 30", "1 ACTIVATION v1 DONE 30");

        // real time changes the complete run's size; its size at completion stays
        jdbc.sql("UPDATE calculation_run SET size = size + 1 WHERE audience_id = ? AND generation = 5")
                .param(audience.id()).update();
        org.openaudience.audience.CalculationRun complete = asUser(() -> history.runs(audience.id())).get(0);
        assertThat(complete.size()).isEqualTo(31);
        assertThat(complete.sizeAtCompletion()).isEqualTo(30);
    }

    @Test
    void members_stream_with_their_chosen_identities_and_read_only_members_cannot_download() throws Exception {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Export", null, watched("Paris")));
        asUser(() -> audiences.activateAudience(audience.id()));
        awaitCalculated(audience.id());
        List<org.openaudience.audience.MemberRow> rows = new java.util.ArrayList<>();
        long written = asUser(() -> members.streamMembers(audience.id(), Set.of("customer_id", "email"), rows::add));
        assertThat(written).isEqualTo(30);
        assertThat(rows).extracting(org.openaudience.audience.MemberRow::mpid)
                .containsExactlyInAnyOrderElementsOf(paris);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.identityType()).isEqualTo("customer_id");
            assertThat(row.identityValue()).startsWith("calc-");
        });
        Member readOnly = new TestMembers(team, workspaces).member(Role.READ_ONLY, workspace);
        assertThatThrownBy(() -> RunAs.member(readOnly.getEmail(), Role.READ_ONLY,
                () -> members.streamMembers(audience.id(), Set.of(), row -> { })))
                .isInstanceOf(AccessRefusedException.class);
    }

    @Test
    void invalid_definitions_are_refused_on_activation_and_read_only_members_change_nothing() {
        Audience audience = asUser(() -> audiences.createAudience(workspace.id(), "Typo", null,
                Definition.of(EventCriterion.event("Play Vidoe"))));
        assertThatThrownBy(() -> asUser(() -> audiences.activateAudience(audience.id())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("has not been received");
        Member readOnly = new TestMembers(team, workspaces).member(Role.READ_ONLY, workspace);
        assertThatThrownBy(() -> RunAs.member(readOnly.getEmail(), Role.READ_ONLY,
                () -> audiences.createAudience(workspace.id(), "Nope", null, watched("Paris"))))
                .isInstanceOf(AccessRefusedException.class);
        assertThat(RunAs.member(readOnly.getEmail(), Role.READ_ONLY, () -> audiences.count(workspace.id())))
                .isEqualTo(1);
    }
}
