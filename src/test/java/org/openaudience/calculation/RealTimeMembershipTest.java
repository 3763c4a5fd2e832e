package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.Window;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/**
 * Membership follows new data within seconds — also for profiles real time has never seen and for user attribute
 * changes — and members whose events age out of the window leave.
 */
@IntegrationTest
@RecordApplicationEvents
class RealTimeMembershipTest {

    @Autowired
    CalculationEngine engine;
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

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_new_qualifying_event_adds_the_user_within_seconds_and_an_aged_out_one_leaves() throws Exception {
        scenario.send("rt-1", playVideo("Paris"));
        long audience = scenario.activate("Paris now", Definition.of(new EventCriterion(EventKind.EVENT,
                "Play Video", null, List.of(Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH,
                "paris")), null, new Window.LastDays(7)))).id();
        scenario.awaitSize(audience, 1);

        long sent = System.nanoTime();
        scenario.send("rt-2", playVideo("PARIS"));
        scenario.send("rt-3", playVideo("Rome"));
        scenario.awaitSize(audience, 2);
        System.out.printf("Real-time membership change %d ms after the commit%n",
                (System.nanoTime() - sent) / 1_000_000);
        assertThat(scenario.causes(audience)).containsEntry("REALTIME", 1L);

        realTime.flush(); // Rome's round runs before the clock moves, so only the sweep sees the new time
        clock.advance(Duration.ofDays(8));
        timeSweep.sweepExpired();
        assertThat(engine.progress(audience).size()).isZero();
        assertThat(scenario.causes(audience)).containsEntry("EXPIRY", 2L);
        assertThat(engine.members(audience, 0, 10)).isEmpty();
    }

    @Test
    void where_new_events_only_add_a_member_receiving_events_stays_unevaluated_but_one_with_new_facts_is_evaluated()
            throws Exception {
        scenario.send("keep", scenario.event("Open", Duration.ofDays(1)));
        scenario.send("facts", scenario.event("Open", Duration.ofDays(1)));
        long opened = scenario.activate("Opened", Definition.of(new EventCriterion(EventKind.EVENT, "Open", null,
                List.of(), null, new Window.LastDays(7)))).id();
        scenario.awaitSize(opened, 2);
        long keep = scenario.mpid("keep");
        // their qualifying events gone behind real time's back (as retention does; following that is the sweep's)
        jdbc.sql("DELETE FROM event WHERE mpid IN (?, ?)").params(keep, scenario.mpid("facts")).update();

        // an Open dated tomorrow counts for the key but brings no new fact; one 30 days old moves the first-seen time
        scenario.send("keep", scenario.event("Open", Duration.ofDays(-1)));
        scenario.send("facts", scenario.event("Open", Duration.ofDays(30)));
        realTime.flush();

        assertThat(scenario.members(opened)).as("only the profile with new facts was evaluated again")
                .containsExactly(keep);
        assertThat(scenario.causes(opened)).containsEntry("REALTIME", 1L);
    }

    @Test
    void a_brand_new_profile_joins_within_seconds_every_audience_it_matches_by_absence() throws Exception {
        // the catalog must know the events; this customer has one search and one purchase
        scenario.send("seed", scenario.event("Search", Duration.ofDays(1)),
                scenario.commerce("purchase", Duration.ofDays(1)), playVideo("Rome"));
        EventCriterion search = searches(Frequency.of(Frequency.Comparison.LESS_THAN, 1));
        Map<String, Long> audienceIds = Map.of(
                "less than 1", scenario.activate("No search", Definition.of(search)).id(),
                "exactly 0", scenario.activate("Zero searches", Definition.of(
                        searches(Frequency.of(Frequency.Comparison.EXACTLY, 0)))).id(),
                "between 0 and 2", scenario.activate("Few searches", Definition.of(
                        searches(new Frequency(Frequency.Comparison.BETWEEN, 0, 2)))).id(),
                "exclude", scenario.activate("Browsers who never buy", Definition.of(
                        Group.of(new EventCriterion(EventKind.EVENT, "Play Video", null, List.of(),
                                        Frequency.of(Frequency.Comparison.AT_LEAST, 0), null))
                                .then(Connector.EXCLUDE, new EventCriterion(EventKind.ECOMMERCE, "purchase", null,
                                        List.of(), null, null)))).id());
        Map<String, Long> seedIn = Map.of("less than 1", 0L, "exactly 0", 0L, "between 0 and 2", 1L, "exclude", 0L);
        for (var audience : audienceIds.entrySet()) {
            scenario.awaitSize(audience.getValue(), seedIn.get(audience.getKey()));
        }

        // new profiles: one with an event of a key none of these audiences names, one with no event at all
        long sent = System.nanoTime();
        scenario.send("new-viewer", playVideo("Paris"));
        scenario.sendAttributes("new-silent", "{\"plan\":\"free\"}");
        for (var audience : audienceIds.entrySet()) {
            scenario.awaitSize(audience.getValue(), seedIn.get(audience.getKey()) + 2);
            assertThat(scenario.changes(audience.getValue(), scenario.mpid("new-viewer")))
                    .as(audience.getKey()).containsExactly("ADD by REALTIME");
            assertThat(scenario.changes(audience.getValue(), scenario.mpid("new-silent")))
                    .as(audience.getKey()).containsExactly("ADD by REALTIME");
        }
        System.out.printf("New profiles joined 4 absence audiences %d ms after the commit%n",
                (System.nanoTime() - sent) / 1_000_000);

        // and the events of the audiences' keys still take them out again
        scenario.send("new-viewer", scenario.event("Search", Duration.ZERO),
                scenario.commerce("purchase", Duration.ZERO));
        scenario.awaitSize(audienceIds.get("less than 1"), 1);
        scenario.awaitSize(audienceIds.get("exactly 0"), 1);
        scenario.awaitSize(audienceIds.get("exclude"), 1);
        assertThat(scenario.members(audienceIds.get("between 0 and 2"))).hasSize(3);
    }

    @Test
    void a_users_only_audience_follows_new_profiles_and_attribute_only_batches_in_real_time() throws Exception {
        long premium = scenario.activate("Premium", Definition.of(UserCriterion.attribute("status", DataType.STRING,
                Operator.EXACT_MATCH, "premium"))).id();
        scenario.awaitSize(premium, 0);

        scenario.send("buyer", "{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Open\"}}");
        scenario.sendAttributes("buyer", "{\"status\":\"Premium\"}");
        scenario.sendAttributes("newcomer", "{\"status\":\"premium\"}");
        scenario.awaitSize(premium, 2);

        scenario.sendAttributes("buyer", "{\"status\":\"free\"}");
        scenario.awaitSize(premium, 1);
        scenario.sendAttributes("buyer", "{\"status\":\"premium\"}");
        scenario.awaitSize(premium, 2);

        assertThat(scenario.changes(premium, scenario.mpid("buyer")))
                .containsExactly("ADD by REALTIME", "REMOVE by REALTIME", "ADD by REALTIME");
        assertThat(scenario.changes(premium, scenario.mpid("newcomer"))).containsExactly("ADD by REALTIME");
        assertThat(scenario.members(premium))
                .containsExactlyInAnyOrder(scenario.mpid("buyer"), scenario.mpid("newcomer"));
    }

    @Test
    void a_batch_that_repeats_what_the_profile_already_says_brings_it_no_new_facts(ApplicationEvents published) {
        scenario.send("fan", scenario.event("Open", Duration.ofMinutes(5)));
        long fan = scenario.mpid("fan");
        assertThat(newFacts(published)).as("created").containsExactly(fan);

        scenario.send("fan", scenario.event("Open", Duration.ofMinutes(1)));
        assertThat(newFacts(published)).as("a later event of a known user: only the last-seen time moves").isEmpty();

        scenario.sendAttributes("fan", "{\"status\":\"gold\"}");
        assertThat(newFacts(published)).as("a new attribute").containsExactly(fan);
        scenario.sendAttributes("fan", "{\"status\":\"gold\"}");
        assertThat(newFacts(published)).as("the same attribute again").isEmpty();
        scenario.sendAttributes("fan", "{\"status\":\"Gold\"}");
        assertThat(newFacts(published)).as("the value in other case").containsExactly(fan);

        scenario.send("fan", scenario.event("Open", Duration.ofDays(3)));
        assertThat(newFacts(published)).as("an event older than the first seen").containsExactly(fan);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void a_round_that_takes_the_slow_round_time_is_logged_with_its_slowest_audience_and_a_quicker_one_is_not(
            CapturedOutput log) throws Exception {
        scenario.send("watcher", playVideo("Paris"));
        long audience = scenario.activate("Paris, watched for slow rounds", Definition.of(new EventCriterion(
                EventKind.EVENT, "Play Video", null, List.of(), null, new Window.LastDays(7)))).id();
        scenario.awaitSize(audience, 1);
        long watcher = scenario.mpid("watcher");
        ProfilesTouched touched = new ProfilesTouched(scenario.workspace.id(), Set.of(watcher), Set.of(watcher),
                Map.of());
        String slowRound = "Real-time round of workspace " + scenario.workspace.id() + " took";

        roundOfItsOwn(touched, 0); // every round counts as slow
        assertThat(log.getOut()).contains(slowRound).contains("1 touched profiles and 1 active audiences")
                .contains("the slowest, audience " + audience + ", took");

        int logged = log.getOut().split(slowRound, -1).length;
        roundOfItsOwn(touched, 60_000);
        assertThat(log.getOut().split(slowRound, -1)).as("no line for a round under a minute").hasSize(logged);
    }

    /** One round of a real-time instance of its own (rounds on demand only: its interval is an hour). */
    private void roundOfItsOwn(ProfilesTouched touched, long slowRoundMs) {
        RealTimeMembership own = new RealTimeMembership(transactions, clock, writer, 3_600_000, slowRoundMs);
        try {
            own.onProfilesTouched(touched);
            own.flush();
        } finally {
            own.stop();
        }
    }

    /** The profiles with new facts in what ingestion published since the last call. */
    private static List<Long> newFacts(ApplicationEvents published) {
        List<Long> mpids = published.stream(ProfilesTouched.class)
                .flatMap(touched -> touched.mpidsWithNewFacts().stream()).toList();
        assertThat(published.stream(ProfilesTouched.class)).as("one request, one notice").hasSize(1);
        published.clear();
        return mpids;
    }

    private static EventCriterion searches(Frequency frequency) {
        return new EventCriterion(EventKind.EVENT, "Search", null, List.of(), frequency, new Window.LastDays(30));
    }

    private static String playVideo(String destination) {
        return """
                {"event_type":"custom_event","data":{"event_name":"Play Video","custom_attributes":{"destination":"%s"}}}"""
                .formatted(destination);
    }
}
