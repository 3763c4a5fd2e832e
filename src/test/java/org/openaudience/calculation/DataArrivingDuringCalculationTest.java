package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;

/** Events that arrive while a calculation runs reach the membership it builds, each counted once. */
@IntegrationTest
class DataArrivingDuringCalculationTest extends CalculationFixture {

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
}
