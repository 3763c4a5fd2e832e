package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A fresh workspace with a Web input and a User member, for the real-time and sweep tests: activates audiences,
 * sends batches through the real ingestion (customers named by customer_id, events dated relative to the test
 * clock) and reads membership back.
 */
final class RealTimeScenario {

    final Workspace workspace;
    private final Member user;
    private final Input input;
    private final TestEvents events;
    private final AudienceService audiences;
    private final CalculationEngine engine;
    private final MutableClock clock;
    private final JdbcClient jdbc;

    RealTimeScenario(AudienceService audiences, CalculationEngine engine, TeamService team,
                     WorkspaceService workspaces, InputService inputs, IngestionService ingestion, BatchParser parser,
                     MutableClock clock, JdbcClient jdbc) {
        TestMembers members = new TestMembers(team, workspaces);
        this.workspace = members.workspace("RealTime");
        this.user = members.member(Role.USER, workspace);
        this.events = new TestEvents(inputs, ingestion, parser, clock, members);
        this.input = events.webInput(workspace);
        this.audiences = audiences;
        this.engine = engine;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    /** A new workspace with a User and a web input, from the test context's beans. */
    static RealTimeScenario in(org.springframework.context.ApplicationContext context) {
        return new RealTimeScenario(context.getBean(AudienceService.class), context.getBean(CalculationEngine.class),
                context.getBean(TeamService.class), context.getBean(WorkspaceService.class),
                context.getBean(InputService.class), context.getBean(IngestionService.class),
                context.getBean(BatchParser.class), context.getBean(MutableClock.class),
                context.getBean(JdbcClient.class));
    }

    /** Creates and activates an audience as the workspace's User; its calculation runs in the background. */
    Audience activate(String name, Definition definition) {
        return RunAs.member(user.getEmail(), Role.USER, () -> {
            Audience created = audiences.createAudience(workspace.id(), name, null, definition);
            return audiences.activateAudience(created.id());
        });
    }

    /** One batch of the customer with these events (see {@link #event}, {@link #commerce}); committed on return. */
    void send(String customer, String... eventJson) {
        events.send(input, """
                {"user_identities":{"customer_id":"%s"},"events":[%s]}""".formatted(customer,
                String.join(",", eventJson)));
    }

    /** One batch with user attributes only (a JSON object) and no events. */
    void sendAttributes(String customer, String attributesJson) {
        events.send(input, """
                {"user_identities":{"customer_id":"%s"},"user_attributes":%s}""".formatted(customer, attributesJson));
    }

    /** A custom event {@code ago} before the test clock's now. */
    String event(String name, Duration ago) {
        return """
                {"event_type":"custom_event","data":{"event_name":"%s","timestamp_unixtime_ms":%d}}"""
                .formatted(name, clock.instant().minus(ago).toEpochMilli());
    }

    /** A commerce event of this product action (purchase, add_to_cart …) {@code ago} before now. */
    String commerce(String action, Duration ago) {
        return """
                {"event_type":"commerce_event","data":{"product_action":{"action":"%s"},"timestamp_unixtime_ms":%d}}"""
                .formatted(action, clock.instant().minus(ago).toEpochMilli());
    }

    long mpid(String customer) {
        return jdbc.sql("SELECT mpid FROM profile_identity WHERE workspace_id = ? AND identity_type = 'customer_id'"
                        + " AND identity_value = ?")
                .params(workspace.id(), customer).query(Long.class).single();
    }

    /** Waits up to 10 s until no calculation runs and the complete membership has this size. */
    void awaitSize(long audienceId, long size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        CalculationProgress progress = engine.progress(audienceId);
        while (System.nanoTime() < deadline) {
            progress = engine.progress(audienceId);
            if (!progress.calculating() && progress.size() == size) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(progress.size()).as("size of audience %d (calculating: %s)", audienceId, progress.calculating())
                .isEqualTo(size);
    }

    /** The complete membership, checked against the stored size. */
    List<Long> members(long audienceId) {
        List<Long> members = engine.members(audienceId, 0, 10_000);
        assertThat(engine.progress(audienceId).size()).as("stored size of audience %d", audienceId)
                .isEqualTo(members.size());
        return members;
    }

    /** Logged membership changes by cause. */
    Map<String, Long> causes(long audienceId) {
        Map<String, Long> causes = new HashMap<>();
        jdbc.sql("SELECT cause, COUNT(*) FROM membership_change WHERE audience_id = ? GROUP BY cause")
                .param(audienceId).query((rs, row) -> causes.put(rs.getString(1), rs.getLong(2))).list();
        return causes;
    }

    /** The profile's logged changes in order, as "ADD by EXPIRY". */
    List<String> changes(long audienceId, long mpid) {
        return jdbc.sql("SELECT CONCAT(change_type, ' by ', cause) FROM membership_change WHERE audience_id = ?"
                        + " AND mpid = ? ORDER BY id")
                .params(audienceId, mpid).query(String.class).list();
    }
}
