package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.springframework.beans.factory.annotation.Autowired;

/** Activation calculates in buckets with real progress; edits recalculate beside the served membership. */
@IntegrationTest
class AudienceCalculationTest extends CalculationFixture {

    @Autowired
    CalculationSteps steps;
    @Autowired
    org.openaudience.audience.AudienceMembers members;
    @Autowired
    org.openaudience.audience.AudienceHistory history;
    @Autowired
    org.openaudience.audience.AudienceEstimates estimates;
    @Autowired
    org.openaudience.audience.AudienceDefinitions definitions;

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
