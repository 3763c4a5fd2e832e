package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.Platform;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One user, one profile, and each batch stored once — also when SDKs send at the same moment: real parallel
 * requests through the HTTP stack, released together by a latch, repeated.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentIngestionTest {

    static final int CLIENTS = 8;
    static final int ROUNDS = 4;

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    IngestFixture fixture;
    EventsApiClient api;

    @BeforeEach
    void setUp() {
        fixture = fixtures.create();
        api = new EventsApiClient(port, fixture.credentials);
    }

    static String batch(String identities, String eventName) {
        return "{\"environment\":\"production\"," + identities + ",\"events\":[{\"event_type\":\"custom_event\","
                + "\"data\":{\"event_name\":\"" + eventName + "\",\"custom_event_type\":\"media\"}}]}";
    }

    void assertParallelFirstRequestsShareOneProfile(String type, IntFunctionOfString identityOfClient,
                                                    String storedValue) throws Exception {
        for (int r = 0; r < ROUNDS; r++) {
            int round = r;
            String event = type + " round " + round + " " + TestMembers.unique();
            String value = storedValue.formatted(round);
            List<Integer> statuses = EventsApiClient.atOnce(CLIENTS, client -> () -> api.post("/v2/events",
                    batch(identityOfClient.apply(client, round), event)).status());

            assertThat(statuses).as("every request acknowledged").containsOnly(202);
            assertThat(fixture.ownersOf(type, value)).as("one owner of %s %s", type, value).hasSize(1);
            assertThat(fixture.mpidsOfEvents(event)).as("all events on that one profile")
                    .containsExactly(fixture.ownersOf(type, value).get(0));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM event WHERE workspace_id = ? AND event_key = ?")
                    .params(fixture.workspace.id(), event).query(Long.class).single()).isEqualTo(CLIENTS);
        }
        assertThat(fixture.count("profile")).as("one profile per round").isEqualTo(ROUNDS);
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    interface IntFunctionOfString {
        String apply(int client, int round);
    }

    @Test
    void parallel_first_requests_for_one_new_customer_id_end_in_one_profile_holding_all_their_events()
            throws Exception {
        String prefix = "launch-" + TestMembers.unique();
        assertParallelFirstRequestsShareOneProfile("customer_id",
                (client, round) -> "\"user_identities\":{\"customer_id\":\"" + prefix + "-" + round + "\"}",
                prefix + "-%d");
    }

    @Test
    void parallel_first_requests_for_one_new_email_written_in_any_case_end_in_one_profile() throws Exception {
        String local = "ana." + TestMembers.unique();
        assertParallelFirstRequestsShareOneProfile("email", (client, round) -> "\"user_identities\":{\"email\":\""
                        + (client % 2 == 0 ? " " + local.toUpperCase() : local) + "-%d@Example.com\"}".formatted(round),
                local + "-%d@example.com");
    }

    @Test
    void parallel_first_requests_for_one_new_device_end_in_one_profile() throws Exception {
        String device = "IDFV-" + TestMembers.unique();
        assertParallelFirstRequestsShareOneProfile("ios_idfv",
                (client, round) -> "\"device_info\":{\"platform\":\"iOS\",\"ios_idfv\":\"" + device + "-" + round
                        + "\"}", device + "-%d");
    }

    @Test
    void parallel_bulk_requests_for_many_new_users_in_different_orders_create_one_profile_per_user()
            throws Exception {
        int users = 40;
        for (int round = 0; round < 2; round++) {
            String prefix = "many-" + round + "-" + TestMembers.unique();
            List<Integer> statuses = EventsApiClient.atOnce(CLIENTS, client -> {
                List<Integer> order = IntStream.range(0, users).boxed().collect(Collectors.toCollection(ArrayList::new));
                Collections.shuffle(order, new Random(client));
                String bulk = order.stream().map(user -> batch("\"user_identities\":{\"customer_id\":\"" + prefix + "-"
                                + user + "\",\"email\":\"" + prefix + "-" + user + "@example.com\"}", prefix + " " + user))
                        .collect(Collectors.joining(",", "[", "]"));
                return () -> api.post("/v2/bulkevents", bulk).status();
            });
            assertThat(statuses).containsOnly(202);
            for (int user = 0; user < users; user++) {
                List<Long> owner = fixture.ownersOf("customer_id", prefix + "-" + user);
                assertThat(owner).hasSize(1);
                assertThat(fixture.ownersOf("email", prefix + "-" + user + "@example.com")).isEqualTo(owner);
                assertThat(fixture.mpidsOfEvents(prefix + " " + user)).isEqualTo(owner);
            }
        }
        assertThat(fixture.count("profile")).isEqualTo(2L * users);
        assertThat(fixture.count("event")).isEqualTo(2L * users * CLIENTS);
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    @Test
    void a_request_waiting_for_its_users_profile_lock_has_already_written_its_events() throws Exception {
        // the profile rows are the only rows concurrent requests for one user wait on: written last, after the
        // request's events, they stay locked only for the end of the request (a bulk request's events are most of it)
        String customer = "held-" + TestMembers.unique();
        String event = "held event " + TestMembers.unique();
        assertThat(api.post("/v2/events", batch("\"user_identities\":{\"customer_id\":\"" + customer + "\"}",
                "first")).status()).isEqualTo(202);
        long mpid = fixture.mpidOf("customer_id", customer);
        String events = IntStream.range(0, 20).mapToObj(i -> "{\"event_type\":\"custom_event\",\"data\":{"
                + "\"event_name\":\"" + event + "\",\"custom_event_type\":\"media\"}}")
                .collect(Collectors.joining(","));
        String body = "{\"environment\":\"production\",\"user_identities\":{\"customer_id\":\"" + customer
                + "\"},\"events\":[" + events + "]}";
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (Connection holder = dataSource.getConnection();
             Connection observer = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (var lock = holder.prepareStatement("SELECT mpid FROM profile WHERE workspace_id = ? AND mpid = ?"
                    + " FOR UPDATE")) {
                lock.setLong(1, fixture.workspace.id());
                lock.setLong(2, mpid);
                lock.executeQuery().close();
            }
            Future<Integer> request = client.submit(() -> api.post("/v2/events", body).status());
            observer.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            long written = 0;
            while (written < 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                try (var count = observer.prepareStatement("SELECT COUNT(*) FROM event WHERE workspace_id = ?"
                        + " AND event_key = ?")) {
                    count.setLong(1, fixture.workspace.id());
                    count.setString(2, event);
                    var rows = count.executeQuery();
                    rows.next();
                    written = rows.getLong(1);
                }
            }
            assertThat(request.isDone()).as("the request waits for the profile lock").isFalse();
            assertThat(written).as("its events written (uncommitted) while it waits").isEqualTo(20);
            holder.rollback();
            assertThat(request.get(30, TimeUnit.SECONDS)).isEqualTo(202);
        } finally {
            client.shutdownNow();
        }
        assertThat(fixture.mpidsOfEvents(event)).containsExactly(mpid);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM event WHERE workspace_id = ? AND event_key = ?")
                .params(fixture.workspace.id(), event).query(Long.class).single()).isEqualTo(20);
    }

    @Test
    void parallel_email_changes_of_one_user_end_with_one_email_that_the_profile_and_the_identity_table_agree_on()
            throws Exception {
        // pairs race closest: one request keeps the email while the other changes it
        for (int round = 0; round < 30; round++) {
            int clients = round % 3 == 0 ? CLIENTS : 2;
            String prefix = "mover-" + round + "-" + TestMembers.unique();
            String identities = "\"user_identities\":{\"customer_id\":\"" + prefix + "\",\"email\":\"%s@example.com\"}";
            assertThat(api.post("/v2/events", batch(identities.formatted(prefix + "-0"), prefix)).status())
                    .isEqualTo(202);
            List<Integer> statuses = EventsApiClient.atOnce(clients, client -> () -> api.post("/v2/events",
                    batch(identities.formatted(prefix + "-" + (client % 2 == 0 ? 0 : client)), prefix)).status());
            assertThat(statuses).containsOnly(202);
            assertThat(fixture.identityDisagreements()).as("round %d", round).isEmpty();
            long user = fixture.ownersOf("customer_id", prefix).get(0);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM profile_identity WHERE workspace_id = ? AND mpid = ? "
                            + "AND identity_type = 'email'").params(fixture.workspace.id(), user).query(Long.class)
                    .single()).as("one email held at the end").isEqualTo(1);
            assertThat(fixture.mpidsOfEvents(prefix)).containsExactly(user);
        }
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    @Test
    void parallel_customers_sharing_one_email_never_merge_and_every_customer_id_keeps_a_profile() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String prefix = "shared-" + round + "-" + TestMembers.unique();
            String email = prefix + "@example.com";
            assertThat(api.post("/v2/events", batch("\"user_identities\":{\"email\":\"" + email + "\"}", prefix))
                    .status()).isEqualTo(202);
            List<Integer> statuses = EventsApiClient.atOnce(CLIENTS, client -> () -> api.post("/v2/events",
                    batch("\"user_identities\":{\"email\":\"" + email + "\",\"customer_id\":\"" + prefix + "-"
                            + client + "\"}", prefix + " " + client)).status());
            assertThat(statuses).containsOnly(202);
            List<Long> owners = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                List<Long> owner = fixture.ownersOf("customer_id", prefix + "-" + client);
                assertThat(owner).as("customer %d keeps a profile", client).hasSize(1);
                assertThat(fixture.mpidsOfEvents(prefix + " " + client)).isEqualTo(owner);
                owners.add(owner.get(0));
            }
            assertThat(owners).as("two customer ids are two users").doesNotHaveDuplicates();
            assertThat(owners).as("the email's profile became one of them").contains(
                    fixture.ownersOf("email", email).get(0));
        }
        assertThat(fixture.identityDisagreements()).isEmpty();
    }

    @Test
    void concurrent_requests_sharing_some_source_request_ids_are_all_acknowledged_and_store_each_batch_once()
            throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String prefix = "req-" + round + "-" + TestMembers.unique();
            // client i sends ids i, i+1 and i+2 (of 8): every id is in three requests, in different positions
            List<Integer> statuses = EventsApiClient.atOnce(CLIENTS, client -> {
                String bulk = IntStream.of(client, (client + 1) % CLIENTS, (client + 2) % CLIENTS)
                        .mapToObj(id -> "{\"source_request_id\":\"" + prefix + "-" + id + "\","
                                + batch("\"user_identities\":{\"customer_id\":\"" + prefix + "-user\"}",
                                prefix + " " + id).substring(1))
                        .collect(Collectors.joining(",", "[", "]"));
                return () -> api.post("/v2/bulkevents", bulk).status();
            });
            assertThat(statuses).containsOnly(202);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ingest_batch WHERE input_id = ? AND source_request_id LIKE ?")
                    .params(fixture.input.id(), prefix + "-%").query(Long.class).single()).isEqualTo(CLIENTS);
            for (int id = 0; id < CLIENTS; id++) {
                assertThat(jdbc.sql("SELECT COUNT(*) FROM event WHERE workspace_id = ? AND event_key = ?")
                        .params(fixture.workspace.id(), prefix + " " + id).query(Long.class).single())
                        .as("events of batch %d", id).isEqualTo(1);
            }
        }
    }

    @Test
    void source_request_ids_match_exactly_and_per_input() {
        String id = "Req-" + TestMembers.unique();
        String body = "{\"source_request_id\":\"%s\"," + batch("\"user_identities\":{\"customer_id\":\"dedup\"}",
                "Dedup").substring(1);
        assertThat(api.post("/v2/events", body.formatted(id)).status()).isEqualTo(202);
        assertThat(api.post("/v2/events", body.formatted(id.toLowerCase())).status()).isEqualTo(202);
        assertThat(api.post("/v2/events", body.formatted(id + " ")).status()).isEqualTo(202);
        assertThat(api.post("/v2/events", body.formatted(id)).status()).isEqualTo(202);
        assertThat(fixture.count("ingest_batch")).as("case and spaces count; the repeat is ignored").isEqualTo(3);

        InputCredentials ios = fixture.addInput("iOS", Platform.IOS);
        assertThat(new EventsApiClient(port, ios).post("/v2/events", body.formatted(id)).status()).isEqualTo(202);
        assertThat(fixture.count("ingest_batch")).as("another input's id is its own").isEqualTo(4);
    }
}
