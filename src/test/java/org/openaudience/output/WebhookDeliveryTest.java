package org.openaudience.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.abtest.AbTestService;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.TimeSweep;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.livestream.Direction;
import org.openaudience.livestream.LiveStreamHub;
import org.openaudience.livestream.StreamEvent;
import org.openaudience.livestream.StreamListener;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestHostResolver;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Webhook delivery against a real local receiver (PRODUCT.md §3.7): current members first, then every add and
 * remove in order, signed; failures retried with backoff; Faulted after the output's attempts; Resume, Pause,
 * disconnect; a restart mid-request loses nothing.
 */
@IntegrationTest
class WebhookDeliveryTest {

    static final String SECRET = "test-secret-0123456789";

    @Autowired
    ConnectionService connections;
    @Autowired
    OutputService outputs;
    @Autowired
    DeliveryWorker worker;
    @Autowired
    AudienceService audiences;
    @Autowired
    AbTestService abTests;
    @Autowired
    CalculationEngine engine;
    @Autowired
    TimeSweep timeSweep;
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
    ConnectionStore store;
    @Autowired
    OutputRepository outputRepository;
    @Autowired
    NextBatch nextBatch;
    @Autowired
    OutboundRows outboundRows;
    @Autowired
    List<Sender> senders;
    @Autowired
    LiveStreamHub hub;
    @Autowired
    TestHostResolver dns;

    DeliveryFixture fixture;
    WebhookReceiver receiver;

    @BeforeEach
    void paris_viewers() {
        TestMembers members = new TestMembers(team, workspaces);
        fixture = new DeliveryFixture(members, new TestEvents(inputs, ingestion, parser, clock, members), audiences,
                engine, worker, clock, 30);
    }

    @AfterEach
    void cleanUp() {
        if (receiver != null) {
            receiver.close();
        }
        clock.reset();
    }

    @Test
    void every_add_and_remove_arrives_in_order_and_signed_although_the_first_requests_fail() {
        receiver = new WebhookReceiver(3);
        Connection connection = connect(7, 10, null);

        fixture.deliverUntilIdle(receiver, 60);
        assertThat(receiver.requests()).isEqualTo(3 + 5); // 30 members in batches of 7, after 3 refusals
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(fixture.members());
        assertThat(receiver.accepted().get(0).json().get("members").get(0).get("identities").get(0).get("type")
                .asText()).isEqualTo("customer_id");

        fixture.watch(31, 34, "Paris");
        fixture.awaitSize(34);
        clock.advance(Duration.ofDays(8));
        timeSweep.sweepExpired();
        fixture.awaitSize(0);
        fixture.deliverUntilIdle(receiver, 60);

        List<String> changes = jdbc.sql("SELECT CONCAT(LOWER(change_type), ':', mpid) FROM membership_change"
                        + " WHERE audience_id = ? AND cause <> 'CALCULATION' ORDER BY id")
                .param(fixture.audience.id()).query(String.class).list();
        assertThat(changes).hasSize(4 + 34);
        List<String> actions = receiver.actions();
        assertThat(actions.subList(actions.size() - changes.size(), actions.size())).containsExactlyElementsOf(changes);
        assertThat(receiver.membersAfterReplay()).isEmpty();
        for (WebhookReceiver.Received received : receiver.accepted()) {
            assertThat(received.signature()).isEqualTo(MembershipMessages.signature(SECRET,
                    received.body().getBytes(StandardCharsets.UTF_8)));
            assertThat(received.json().get("external_name").asText()).isEqualTo("Paris viewers");
            assertThat(received.deliveryId()).isEqualTo(received.json().get("delivery_id").asText());
        }
        Connection after = connection(connection.id());
        assertThat(after.status()).isEqualTo(ConnectionStatus.SENDING);
        assertThat(after.failedAttempts()).isZero();
        assertThat(after.lastError()).startsWith("HTTP 503 from 127.0.0.1");
        assertThat(after.deliveredAdds()).isEqualTo(34);
        assertThat(after.deliveredRemoves()).isEqualTo(34);
        assertThat(after.changesWaiting()).isZero();
    }

    @Test
    void a_retry_covers_exactly_the_batch_that_failed_under_the_same_delivery_id() {
        receiver = new WebhookReceiver(0);
        connect(10, 10, null);
        fixture.deliverUntilIdle(receiver, 5);
        receiver.failNext(1);
        fixture.watch(31, 33, "Paris");
        fixture.awaitSize(33);
        worker.deliverDue(); // refused: changes of 31-33
        fixture.watch(34, 36, "Paris");
        fixture.awaitSize(36);
        fixture.deliverUntilIdle(receiver, 5);

        var attempts = receiver.attempts();
        var refused = attempts.get(attempts.size() - 3);
        var retried = attempts.get(attempts.size() - 2);
        assertThat(retried.get("delivery_id")).isEqualTo(refused.get("delivery_id"));
        assertThat(retried.get("members")).isEqualTo(refused.get("members")).hasSize(3);
        assertThat(attempts.get(attempts.size() - 1).get("members")).hasSize(3);
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(fixture.members());
    }

    @Test
    void changes_while_current_members_are_sent_follow_them_so_the_receiver_ends_right() {
        receiver = new WebhookReceiver(0);
        receiver.failFrom(2); // takes the first 10 current members, then refuses
        connect(10, 10, null);
        fixture.deliverUntilIdle(receiver, 3);
        assertThat(receiver.actions()).hasSize(10);
        clock.advance(Duration.ofDays(8));
        timeSweep.sweepExpired(); // everyone leaves, those already sent included
        fixture.awaitSize(0);

        receiver.heal();
        fixture.deliverUntilIdle(receiver, 10);
        assertThat(receiver.actions().stream().filter(action -> action.startsWith("remove:"))).hasSize(30);
        assertThat(receiver.membersAfterReplay()).isEmpty();
    }

    @Test
    void a_failed_attempt_waits_out_its_backoff_which_doubles_with_jitter() {
        receiver = new WebhookReceiver(1);
        connect(50, 10, null);
        worker.deliverDue();
        worker.deliverDue();
        assertThat(receiver.requests()).as("waiting out the backoff").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        worker.deliverDue();
        assertThat(receiver.requests()).isEqualTo(2);

        for (int attempt = 1; attempt <= 12; attempt++) {
            long millis = worker.backoff(attempt).toMillis();
            long exponential = Math.min(300_000, 1000L << (attempt - 1));
            assertThat(millis).isBetween(exponential / 2, exponential);
        }
    }

    @Test
    void the_scheduled_worker_delivers_on_its_own_and_stops() {
        receiver = new WebhookReceiver(0);
        DeliveryWorker scheduled = newWorker(50);
        scheduled.start();
        try {
            connect(7, 3, null);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (receiver.actions().size() < 30 && System.nanoTime() < deadline) {
                DeliveryFixture.sleep(20);
            }
        } finally {
            scheduled.stop();
        }
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(fixture.members());
        assertThat(receiver.accepted().stream().map(WebhookReceiver.Received::deliveryId).distinct())
                .as("each batch once").hasSize(5);
    }

    @Test
    void deliveries_and_failures_show_in_the_live_stream_as_outbound_rows() {
        receiver = new WebhookReceiver(1);
        List<StreamEvent> rows = new java.util.concurrent.CopyOnWriteArrayList<>();
        StreamListener listener = (events, sampleRate) -> rows.addAll(events);
        fixture.asUser(() -> hub.subscribe(fixture.workspace.id(), listener));
        List<StreamEvent> readOnlyRows = new java.util.concurrent.CopyOnWriteArrayList<>();
        StreamListener readOnly = (events, sampleRate) -> readOnlyRows.addAll(events);
        Member readOnlyMember = new TestMembers(team, workspaces).member(Role.READ_ONLY, fixture.workspace);
        RunAs.member(readOnlyMember.getEmail(), Role.READ_ONLY, () -> {
            hub.subscribe(fixture.workspace.id(), readOnly);
            return null;
        });
        try {
            connect(30, 5, null);
            fixture.deliverUntilIdle(receiver, 10);
            hub.dispatch();
        } finally {
            hub.unsubscribe(fixture.workspace.id(), listener);
            hub.unsubscribe(fixture.workspace.id(), readOnly);
        }
        assertThat(rows).extracting(StreamEvent::status).as("the status only: never what the receiver answered")
                .containsExactly("Failed (attempt 1 of 5): HTTP 503 from 127.0.0.1:" + port(),
                "Delivered 30 adds, 0 removes · HTTP 204");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(row.eventName()).isEqualTo("Paris viewers");
            assertThat(row.inputName()).startsWith("Receiver ");
        });
        assertThat(rows.get(1).rawJson()).isEqualTo(receiver.accepted().get(0).body());
        // identities are personal data: Read Only may not look up users, so it sees their types only
        assertThat(readOnlyRows).hasSize(2);
        assertThat(readOnlyRows.get(1).rawJson()).contains("\"type\":\"customer_id\"", StreamEvent.HIDDEN)
                .doesNotContain("v-1\"");
        assertThat(rows.get(1).rawJson()).contains("v-1\"");
    }

    @Test
    void a_restart_in_the_middle_of_a_request_loses_nothing_and_repeats_the_batch_under_the_same_id()
            throws Exception {
        receiver = new WebhookReceiver(0);
        connect(10, 5, null);
        receiver.answerDelayMs = 2_000;
        Thread first = new Thread(worker::deliverDue);
        first.start();
        while (receiver.requests() == 0) {
            DeliveryFixture.sleep(10);
        }
        first.interrupt(); // the server stops while the receiver still works on batch 1
        first.join();
        receiver.answerDelayMs = 0;

        // a new worker over the same database: all delivery state is there
        DeliveryWorker restarted = newWorker(0);
        for (int round = 0; round < 5; round++) {
            restarted.deliverDue();
        }
        // the receiver answers one request at a time: the interrupted batch 1 completes there first
        long id = connectionId();
        assertThat(receiver.accepted().stream().map(WebhookReceiver.Received::deliveryId))
                .containsExactly("c" + id + "-1", "c" + id + "-1", "c" + id + "-2", "c" + id + "-3");
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(fixture.members());
    }

    @Test
    void after_the_outputs_attempts_the_connection_is_faulted_and_resume_continues_from_the_cursor() {
        receiver = new WebhookReceiver(0);
        Connection connection = connect(20, 3, null);
        worker.deliverDue();
        assertThat(receiver.actions()).hasSize(30);
        receiver.failNext(1_000);
        fixture.watch(31, 33, "Paris");
        fixture.awaitSize(33);
        fixture.deliverUntilIdle(receiver, 10);
        Connection faulted = connection(connection.id());
        assertThat(faulted.status()).isEqualTo(ConnectionStatus.FAULTED);
        assertThat(faulted.failedAttempts()).isEqualTo(3);
        assertThat(faulted.lastError()).as("the status only: never what the receiver answered")
                .isEqualTo("HTTP 503 from 127.0.0.1:" + port());
        assertThat(faulted.changesWaiting()).isEqualTo(3);
        int requests = receiver.requests();
        fixture.deliverUntilIdle(receiver, 5);
        assertThat(receiver.requests()).as("a Faulted connection waits").isEqualTo(requests);

        receiver.failNext(0);
        fixture.asUser(() -> connections.resume(connection.id()));
        fixture.deliverUntilIdle(receiver, 10);
        List<String> actions = receiver.actions();
        assertThat(actions).hasSize(33);
        assertThat(actions.subList(30, 33)).allMatch(action -> action.startsWith("add:"));
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(fixture.members());
        Connection resumed = connection(connection.id());
        assertThat(resumed.status()).isEqualTo(ConnectionStatus.SENDING);
        assertThat(resumed.changesWaiting()).isZero();
    }

    @Test
    void pause_stops_sending_and_disconnecting_stops_it_for_good() {
        receiver = new WebhookReceiver(0);
        Connection connection = connect(50, 3, null);
        fixture.asUser(() -> connections.pause(connection.id()));
        fixture.deliverUntilIdle(receiver, 5);
        assertThat(receiver.requests()).isZero();

        fixture.asUser(() -> connections.resume(connection.id()));
        fixture.deliverUntilIdle(receiver, 5);
        assertThat(receiver.actions()).hasSize(30);

        fixture.asUser(() -> connections.disconnect(connection.id()));
        fixture.watch(31, 33, "Paris");
        fixture.awaitSize(33);
        fixture.deliverUntilIdle(receiver, 5);
        assertThat(receiver.actions()).hasSize(30);
        assertThat(fixture.asUser(() -> connections.connections(fixture.audience.id()))).isEmpty();
    }

    @Test
    void a_variation_receives_only_its_members_under_its_external_name_and_leaves_with_the_test() {
        receiver = new WebhookReceiver(0);
        long audienceId = fixture.audience.id();
        fixture.asUser(() -> {
            abTests.startTest(audienceId);
            abTests.addVariation(audienceId, 50, "Half");
            abTests.saveTest(audienceId);
        });
        Connection control = connect(4, 3, 0);
        assertThat(control.externalName()).isEqualTo("Paris viewers - Control");
        fixture.deliverUntilIdle(receiver, 20);

        var test = abTests.frozenTest(audienceId).orElseThrow();
        Set<Long> expected = fixture.members().stream().filter(mpid -> test.variationOf(mpid).isControl())
                .collect(Collectors.toSet());
        assertThat(expected).isNotEmpty().hasSizeLessThan(30);
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(receiver.accepted()).allSatisfy(received -> {
            assertThat(received.json().get("external_name").asText()).isEqualTo("Paris viewers - Control");
            assertThat(received.json().get("variation").asText()).isEqualTo("Control");
        });

        fixture.watch(31, 40, "Paris"); // changes after the snapshot go through the same filter
        fixture.awaitSize(40);
        fixture.deliverUntilIdle(receiver, 20);
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(fixture.members().stream()
                .filter(mpid -> test.variationOf(mpid).isControl()).toList());

        fixture.asUser(() -> abTests.deleteTest(audienceId));
        assertThat(fixture.asUser(() -> connections.connections(audienceId))).isEmpty();
    }

    @Test
    void delivery_connects_to_the_address_the_checked_lookup_gave_and_keeps_the_host_name_in_the_request() {
        receiver = new WebhookReceiver(0);
        // only the test resolver knows this name: a delivery arrives only if the client used its checked answer
        dns.answer("receiver.pinned.test", List.of("127.0.0.1"));
        Output output = fixture.asUser(() -> outputs.createOutput(fixture.workspace.id(), new OutputSettings(
                "Pinned", OutputKind.WEBHOOK, "http://receiver.pinned.test:" + port() + "/hook", SECRET,
                "Authorization: Bearer crm-token-1", null, 50, 3)));
        fixture.asUser(() -> connections.connect(fixture.audience.id(), null, output.id(), Set.of()));

        fixture.deliverUntilIdle(receiver, 5);
        assertThat(receiver.membersAfterReplay()).containsExactlyInAnyOrderElementsOf(fixture.members());
        assertThat(receiver.accepted()).allSatisfy(received -> {
            assertThat(received.header("Host")).isEqualTo("receiver.pinned.test:" + port());
            assertThat(received.header("Authorization")).isEqualTo("Bearer crm-token-1");
            assertThat(received.header("Content-Type")).isEqualTo("application/json");
        });
        assertThat(dns.lookups("receiver.pinned.test")).as("looked up on save and per connection").isPositive();
    }

    /** Another worker over the same database and beans, as after a restart. */
    private DeliveryWorker newWorker(long pollIntervalMs) {
        return new DeliveryWorker(store, outputRepository, nextBatch, abTests, outboundRows, senders, clock,
                pollIntervalMs, 2, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    private Connection connect(int batchSize, int maxAttempts, Integer variation) {
        Output output = fixture.asUser(() -> outputs.createOutput(fixture.workspace.id(),
                OutputSettings.webhook("Receiver " + org.openaudience.testsupport.TestMembers.unique(),
                        receiver.url(), SECRET).withBatchSize(batchSize).withMaxAttempts(maxAttempts)));
        return fixture.asUser(() -> connections.connect(fixture.audience.id(), variation, output.id(),
                Set.of("customer_id")));
    }

    private long connectionId() {
        return fixture.asUser(() -> connections.connections(fixture.audience.id())).get(0).id();
    }

    private Connection connection(long id) {
        return fixture.asUser(() -> connections.connections(fixture.audience.id())).stream()
                .filter(found -> found.id() == id).findFirst().orElseThrow();
    }

    private int port() {
        return receiver.port();
    }
}
