package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
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

/** Membership follows new data within seconds, and members whose events age out of the window leave. */
@IntegrationTest
class RealTimeMembershipTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    CalculationEngine engine;
    @Autowired
    RealTimeMembership realTime;
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

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_new_qualifying_event_adds_the_user_within_seconds_and_an_aged_out_one_leaves() throws Exception {
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("RealTime");
        Member user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Input input = events.webInput(workspace);
        events.send(input, play("rt-1", "Paris"));
        Audience audience = RunAs.member(user.getEmail(), Role.USER, () -> {
            Audience created = audiences.createAudience(workspace.id(), "Paris now", null, Definition.of(
                    new EventCriterion(org.openaudience.criteria.EventKind.EVENT, "Play Video", null,
                            List.of(Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "paris")),
                            null, new org.openaudience.criteria.Window.LastDays(7))));
            return audiences.activateAudience(created.id());
        });
        awaitSize(audience.id(), 1);

        long sent = System.nanoTime();
        events.send(input, play("rt-2", "PARIS"));
        events.send(input, play("rt-3", "Rome"));
        awaitSize(audience.id(), 2);
        System.out.printf("Real-time membership change %d ms after the commit%n",
                (System.nanoTime() - sent) / 1_000_000);
        assertThat(causes(audience.id())).containsEntry("REALTIME", 1L);

        clock.advance(Duration.ofDays(8));
        realTime.sweepExpired();
        assertThat(engine.progress(audience.id()).size()).isZero();
        assertThat(causes(audience.id())).containsEntry("EXPIRY", 2L);
        assertThat(engine.members(audience.id(), 0, 10)).isEmpty();
    }

    private static String play(String customer, String destination) {
        return """
                {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video","custom_attributes":{"destination":"%s"}}}]}"""
                .formatted(customer, destination);
    }

    private void awaitSize(long audienceId, long size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            CalculationProgress progress = engine.progress(audienceId);
            if (!progress.calculating() && progress.size() == size) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(engine.progress(audienceId).size()).isEqualTo(size);
    }

    private Map<String, Long> causes(long audienceId) {
        Map<String, Long> causes = new java.util.HashMap<>();
        jdbc.sql("SELECT cause, COUNT(*) FROM membership_change WHERE audience_id = ? GROUP BY cause")
                .param(audienceId).query((rs, row) -> causes.put(rs.getString(1), rs.getLong(2))).list();
        return causes;
    }
}
