package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.Window;
import org.openaudience.testsupport.ClosingApp;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The sweep moves membership with the clock both ways: users leave and users join as time passes. */
@IntegrationTest
class TimeSweepTest {

    @Autowired
    TimeSweep timeSweep;
    @Autowired
    RealTimeMembership realTime;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.context.ApplicationContext context;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;
    @Autowired
    MembershipWriter writer;

    RealTimeScenario scenario;

    @BeforeEach
    void newWorkspace() {
        scenario = RealTimeScenario.in(context);
    }

    /**
     * Real time's pending round (the profiles the scenario sent) runs now, before the clock moves: otherwise that
     * round, not the sweep, could be the one to see the new time.
     */
    void settleRealTime() {
        realTime.flush();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_user_joins_when_the_excluded_event_ages_out_and_a_member_whose_event_aged_out_leaves_in_the_same_sweep()
            throws Exception {
        scenario.send("bought-then-carted", scenario.commerce("purchase", Duration.ofDays(6)),
                scenario.commerce("add_to_cart", Duration.ofDays(1)));
        scenario.send("carted-long-ago", scenario.commerce("add_to_cart", Duration.ofDays(6)));
        long abandoners = scenario.activate("Cart abandoners", Definition.of(Group.of(cart(7))
                .then(Connector.EXCLUDE, new EventCriterion(EventKind.ECOMMERCE, "purchase", null, List.of(), null,
                        new Window.LastDays(7))))).id();
        scenario.awaitSize(abandoners, 1);
        long joiner = scenario.mpid("bought-then-carted");
        long leaver = scenario.mpid("carted-long-ago");
        assertThat(scenario.members(abandoners)).containsExactly(leaver);

        settleRealTime();
        clock.advance(Duration.ofDays(2));
        long started = System.nanoTime();
        timeSweep.sweepExpired();
        System.out.printf("Sweep of every active audience of the test database took %d ms%n",
                (System.nanoTime() - started) / 1_000_000);

        assertThat(scenario.members(abandoners)).containsExactly(joiner);
        assertThat(scenario.changes(abandoners, joiner)).containsExactly("ADD by EXPIRY");
        // joined with the first calculation: counted, not logged (a first membership is where an audience starts)
        assertThat(scenario.changes(abandoners, leaver)).containsExactly("REMOVE by EXPIRY");

        // a second sweep at the same time finds nothing more to change
        timeSweep.sweepExpired();
        assertThat(scenario.causes(abandoners)).containsEntry("EXPIRY", 2L);
    }

    @Test
    void a_sweep_started_while_the_app_closes_changes_nothing_and_leaves_the_work_to_the_next_one() throws Exception {
        scenario.send("carted-long-ago", scenario.commerce("add_to_cart", Duration.ofDays(6)));
        long carters = scenario.activate("Carters", Definition.of(Group.of(cart(7)))).id();
        scenario.awaitSize(carters, 1);
        long leaver = scenario.mpid("carted-long-ago");
        settleRealTime();
        clock.advance(Duration.ofDays(2));

        new TimeSweep(jdbc, transactions, clock, writer, ClosingApp.INSTANCE).sweepExpired();
        assertThat(scenario.members(carters)).as("stopped before its first chunk").containsExactly(leaver);

        timeSweep.sweepExpired();
        assertThat(scenario.members(carters)).isEmpty();
    }

    @Test
    void a_user_joins_when_a_relative_date_condition_starts_to_hold() throws Exception {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        scenario.sendAttributes("signed-up-29-days-ago", "{\"signup\":\"%s\"}".formatted(today.minusDays(29)));
        scenario.sendAttributes("signed-up-40-days-ago", "{\"signup\":\"%s\"}".formatted(today.minusDays(40)));
        long veterans = scenario.activate("Veterans", Definition.of(UserCriterion.attribute("signup", DataType.DATE,
                Operator.MORE_THAN_DAYS_AGO, "30"))).id();
        scenario.awaitSize(veterans, 1);
        assertThat(scenario.members(veterans)).containsExactly(scenario.mpid("signed-up-40-days-ago"));

        settleRealTime();
        clock.advance(Duration.ofDays(2));
        timeSweep.sweepExpired();

        long joiner = scenario.mpid("signed-up-29-days-ago");
        assertThat(scenario.members(veterans))
                .containsExactlyInAnyOrder(joiner, scenario.mpid("signed-up-40-days-ago"));
        assertThat(scenario.changes(veterans, joiner)).containsExactly("ADD by EXPIRY");
    }

    @Test
    void the_sweep_covers_profiles_in_every_chunk() throws Exception {
        // more profiles than one chunk, all joining when their excluded purchase ages out
        int profiles = TimeSweep.SWEEP_CHUNK + 1_000;
        scenario.send("seed", scenario.commerce("purchase", Duration.ofDays(6)),
                scenario.commerce("add_to_cart", Duration.ofDays(1)));
        jdbc.sql("""
                        INSERT INTO profile (workspace_id, mpid, identities, user_attributes, device_info, platforms,
                            first_seen_at, last_seen_at)
                        SELECT ?, CAST(seq AS SIGNED) * 3 - 9000000000000000000, '{}', '{}', '{}', '{}',
                            NOW(), NOW()
                        FROM seq_1_to_%d""".formatted(profiles))
                .param(scenario.workspace.id()).update();
        // each with the seed's purchase 6 days ago and add to cart 1 day ago
        jdbc.sql("""
                        INSERT INTO event (workspace_id, mpid, input_id, batch_id, event_type, event_key,
                            custom_event_type, platform, environment, event_time, received_at, attributes, data)
                        SELECT e.workspace_id, CAST(s.seq AS SIGNED) * 3 - 9000000000000000000, e.input_id,
                            e.batch_id, e.event_type, e.event_key, e.custom_event_type, e.platform, e.environment,
                            e.event_time, e.received_at, e.attributes, e.data
                        FROM event e JOIN seq_1_to_%d s WHERE e.workspace_id = ?""".formatted(profiles))
                .param(scenario.workspace.id()).update();
        long abandoners = scenario.activate("Cart abandoners", Definition.of(Group.of(cart(7))
                .then(Connector.EXCLUDE, new EventCriterion(EventKind.ECOMMERCE, "purchase", null, List.of(), null,
                        new Window.LastDays(7))))).id();
        scenario.awaitSize(abandoners, 0);

        settleRealTime();
        clock.advance(Duration.ofDays(2));
        long started = System.nanoTime();
        timeSweep.sweepExpired();
        System.out.printf("Sweep with %,d more profiles in one workspace took %d ms%n", profiles,
                (System.nanoTime() - started) / 1_000_000);

        assertThat(scenario.members(abandoners)).hasSize(profiles + 1);
        assertThat(scenario.causes(abandoners)).containsEntry("EXPIRY", profiles + 1L);
    }

    private static EventCriterion cart(int days) {
        return new EventCriterion(EventKind.ECOMMERCE, "add_to_cart", null, List.of(), null,
                new Window.LastDays(days));
    }
}
