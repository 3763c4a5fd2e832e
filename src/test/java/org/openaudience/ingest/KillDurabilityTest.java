package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PRODUCT.md §5: an accepted (202) request is durable. The app runs in a process of its own on this run's database,
 * clients send to it from several threads, and the process is killed with SIGKILL mid-stream: every request it
 * acknowledged is stored whole, and no request is stored in part.
 */
@IntegrationTest
class KillDurabilityTest {

    static final int CLIENTS = 4;

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;

    @Test
    void every_request_acknowledged_before_a_kill_9_is_stored_whole() throws Exception {
        IngestFixture fixture = fixtures.create();
        int port = freePort();
        Path log = Files.createTempFile("openaudience-kill", ".log");
        Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-DDB_URL=" + System.getProperty("DB_URL"),
                "org.openaudience.Application", "--server.port=" + port, "--spring.profiles.active=test",
                "--openaudience.delivery.poll-interval-ms=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            awaitListening(port, app, log);
            EventsApiClient api = new EventsApiClient(port, fixture.credentials);
            AtomicBoolean up = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                clients.submit(() -> {
                    for (int sequence = 0; up.get(); sequence++) {
                        String requestId = "kill-" + id + "-" + sequence;
                        try {
                            if (api.post("/v2/bulkevents", bulk(requestId)).status() == 202) {
                                acknowledged.add(requestId);
                            }
                        } catch (RuntimeException connectionLost) {
                            up.set(false);
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            app.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close of the pool
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            up.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
        } finally {
            app.destroyForcibly();
        }

        assertThat(acknowledged).as("requests acknowledged before the kill").hasSizeGreaterThanOrEqualTo(40);
        List<String> stored = jdbc.sql("SELECT DISTINCT SUBSTRING_INDEX(source_request_id, '#', 1) FROM ingest_batch "
                + "WHERE input_id = ?").param(fixture.input.id()).query(String.class).list();
        System.out.printf("kill -9: %d requests acknowledged, %d stored (the rest were in flight)%n",
                acknowledged.size(), stored.size());
        assertThat(stored).as("every acknowledged request is stored").containsAll(acknowledged);
        List<Long> batchesPerRequest = jdbc.sql("SELECT COUNT(*) FROM ingest_batch WHERE input_id = ? "
                + "GROUP BY SUBSTRING_INDEX(source_request_id, '#', 1)").param(fixture.input.id()).query(Long.class)
                .list();
        assertThat(batchesPerRequest).as("no request stored in part").containsOnly(5L);
        assertThat(fixture.count("event")).as("three events per stored batch").isEqualTo(3L * 5 * stored.size());
    }

    /** Five batches of three events, each batch with its request's id and its position as source_request_id. */
    static String bulk(String requestId) {
        List<String> batches = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            batches.add("{\"source_request_id\":\"" + requestId + "#" + b + "\",\"user_identities\":{\"customer_id\":\""
                    + requestId + "-" + b + "\"},\"events\":[{\"event_type\":\"session_start\"},{\"event_type\":"
                    + "\"screen_view\",\"data\":{\"screen_name\":\"Home\"}},{\"event_type\":\"session_end\"}]}");
        }
        return "[" + String.join(",", batches) + "]";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process app, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new AssertionError("The app stopped while starting:\n" + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("The app did not listen on " + port + " within 120 s:\n" + Files.readString(log));
    }
}
